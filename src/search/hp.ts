/**
 * HyperParameters, KerasTuner-style: the space is discovered while a spec is resolved (a block asks
 * for `conv/filters` with its space; the answer comes from the oracle's picker), so conditional
 * parameters such as the sub-block of a modality block exist only when chosen.
 */
import { HpDef, HpValue } from '../spec/space';

/** How an oracle answers a parameter it is asked for. */
export type Picker = (name: string, def: HpDef) => HpValue;

export class HyperParameters {
  /** Every searchable parameter met while resolving, with its space. */
  readonly space: Record<string, HpDef> = {};
  readonly values: Record<string, HpValue> = {};

  constructor(private readonly picker: Picker) {}

  get(name: string, def: HpDef): HpValue {
    if (def.kind === 'fixed') return def.value;
    this.space[name] = def;
    if (!(name in this.values)) this.values[name] = this.picker(name, def);
    return this.values[name];
  }

  scope(prefix: string): HpScope {
    return { get: (param, def) => this.get(`${prefix}/${param}`, def), scope: (sub) => this.scope(`${prefix}/${sub}`), prefix };
  }
}

/** A view of HyperParameters whose names are prefixed by a block's name (AutoKeras's scoping). */
export interface HpScope {
  readonly prefix: string;
  get(param: string, def: HpDef): HpValue;
  scope(sub: string): HpScope;
}

/** Fixed values only: for building a model from recorded values (export, predict, workers). */
export function replayPicker(values: Record<string, HpValue>): Picker {
  return (name, def) => {
    if (!(name in values)) throw new Error(`no recorded value for hyperparameter "${name}" (${def.kind})`);
    return values[name];
  };
}

/** Stable identity of a set of values: duplicates are found by hashing the sorted entries. */
export function valuesKey(values: Record<string, HpValue>): string {
  return JSON.stringify(Object.keys(values).sort().map((k) => [k, values[k]]));
}

/**
 * The hyperparameters that took more than one value across these trials, sorted by name. A
 * conditional one (it exists only when its block type was chosen) counts only where it exists.
 */
export function varyingNames(trials: Array<{ values: Record<string, HpValue> }>): string[] {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.values)))].sort();
  return names.filter((n) => new Set(trials.filter((t) => n in t.values).map((t) => JSON.stringify(t.values[n]))).size > 1);
}
