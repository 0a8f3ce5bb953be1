/**
 * Hyperparameter spaces, one kind per entry of one table (keras-tuner's HyperParameters classes):
 * how each kind is written in a spec (schema, parse), the value it starts from, how it is described,
 * sampled, checked, and encoded for surrogate models (and decoded back). The spec schema, the
 * oracles and summaries all go through here, so a kind cannot be half added.
 */
import { Type, TSchema } from '@sinclair/typebox';
import type { Rng } from '../util/rng';

export type HpValue = number | string | boolean;

/** A space in plain data: what oracles sample and what summaries print. */
export type HpDef =
  | { kind: 'fixed'; value: HpValue }
  | { kind: 'choice'; values: HpValue[] }
  | { kind: 'int'; lo: number; hi: number; step?: number }
  | { kind: 'float'; lo: number; hi: number; log?: boolean }
  | { kind: 'boolean' };

/** A coordinate in [0, 1] or a category label. */
export type Code = number | string;

type Of<K extends HpDef['kind']> = Extract<HpDef, { kind: K }>;

interface Kind<D extends HpDef> {
  /** The written form of this kind of space, given the schema of one value (undefined: written as the value itself). */
  schema?(item: TSchema): TSchema;
  /** This kind's space from what a spec wrote, or undefined when it is not written this way. */
  parse(written: Record<string, unknown>): D | undefined;
  /** The value a space starts from: Keras-style sensible defaults are listed first in every choice. */
  first(def: D): HpValue;
  describe(def: D): string;
  /** Uniformly (log-uniformly where the space says log). */
  sample(def: D, rng: Rng): HpValue;
  /** Whether a recorded value still lies in the space (a spec may have narrowed it). */
  fits(def: D, value: HpValue): boolean;
  /** A coordinate in [0, 1] (a label where the space has no order); undefined where it never varies. */
  encode(def: D, value: HpValue): Code | undefined;
  /** The value nearest to a coordinate; undefined where the space has no order (labels). */
  decode(def: D, u: number): HpValue | undefined;
}

const span = (lo: number, hi: number, v: number) => (hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : 0.5);
/** A choice of numbers (units: 32, 64, 128) is ordered: neighbours should count as near. */
const sortedNumbers = (values: HpValue[]) => (values.every((v) => typeof v === 'number') ? (values as number[]).slice().sort((a, b) => a - b) : undefined);
const range = (integer: boolean) =>
  Type.Object(
    {
      [integer ? 'int' : 'float']: Type.Tuple([integer ? Type.Integer() : Type.Number(), integer ? Type.Integer() : Type.Number()]),
      ...(integer ? { step: Type.Optional(Type.Integer({ minimum: 1 })) } : { log: Type.Optional(Type.Boolean()) }),
    },
    { additionalProperties: false },
  );
const logSpan = (def: Of<'float'>) => (def.log ? [Math.log(def.lo), Math.log(def.hi)] : [def.lo, def.hi]);

export const KINDS: { [K in HpDef['kind']]: Kind<Of<K>> } = {
  fixed: {
    parse: () => undefined,
    first: (def) => def.value,
    describe: (def) => JSON.stringify(def.value),
    sample: (def) => def.value,
    fits: (def, value) => def.value === value,
    encode: () => undefined,
    decode: (def) => def.value,
  },
  choice: {
    schema: (item) => Type.Object({ choice: Type.Array(item, { minItems: 1 }) }, { additionalProperties: false }),
    parse: (w) => (Array.isArray(w.choice) ? { kind: 'choice', values: w.choice as HpValue[] } : undefined),
    first: (def) => def.values[0],
    describe: (def) => `choice ${JSON.stringify(def.values)}`,
    sample: (def, rng) => rng.pick(def.values),
    fits: (def, value) => def.values.includes(value),
    encode(def, value) {
      const sorted = sortedNumbers(def.values);
      if (!sorted) return JSON.stringify(value);
      return sorted.length > 1 ? sorted.indexOf(value as number) / (sorted.length - 1) : 0.5;
    },
    decode(def, t) {
      const sorted = sortedNumbers(def.values);
      return sorted ? sorted[Math.round(t * (sorted.length - 1))] : undefined;
    },
  },
  int: {
    schema: () => range(true),
    parse: (w) => (Array.isArray(w.int) ? { kind: 'int', lo: w.int[0] as number, hi: w.int[1] as number, step: w.step as number | undefined } : undefined),
    first: (def) => def.lo,
    describe: (def) => `int [${def.lo}, ${def.hi}]${def.step ? ` step ${def.step}` : ''}`,
    sample: (def, rng) => def.lo + (def.step ?? 1) * rng.int(0, Math.floor((def.hi - def.lo) / (def.step ?? 1))),
    fits: (def, value) => typeof value === 'number' && value >= def.lo && value <= def.hi,
    encode: (def, value) => span(def.lo, def.hi, value as number),
    decode: (def, t) => def.lo + (def.step ?? 1) * Math.round((t * (def.hi - def.lo)) / (def.step ?? 1)),
  },
  float: {
    schema: () => range(false),
    parse: (w) => (Array.isArray(w.float) ? { kind: 'float', lo: w.float[0] as number, hi: w.float[1] as number, log: w.log === true } : undefined),
    first: (def) => (def.log ? Math.sqrt(def.lo * def.hi) : def.lo),
    describe: (def) => `float [${def.lo}, ${def.hi}]${def.log ? ' log' : ''}`,
    sample: (def, rng) => {
      const [lo, hi] = logSpan(def);
      const x = lo + rng.next() * (hi - lo);
      return def.log ? Math.exp(x) : x;
    },
    fits: (def, value) => typeof value === 'number' && value >= def.lo && value <= def.hi,
    encode: (def, value) => (def.log ? span(Math.log(def.lo), Math.log(def.hi), Math.log(value as number)) : span(def.lo, def.hi, value as number)),
    decode: (def, t) => {
      const [lo, hi] = logSpan(def);
      const x = lo + t * (hi - lo);
      return def.log ? Math.exp(x) : x;
    },
  },
  boolean: {
    schema: () => Type.Object({ boolean: Type.Literal(true) }, { additionalProperties: false }),
    parse: (w) => (w.boolean === true ? { kind: 'boolean' } : undefined),
    first: () => false,
    describe: () => 'boolean',
    sample: (_def, rng) => rng.next() < 0.5,
    fits: (_def, value) => typeof value === 'boolean',
    encode: (_def, value) => (value === true ? 1 : 0),
    decode: (_def, t) => t >= 0.5,
  },
};

/** The kind's entry, typed for the definition at hand. */
const kindOf = <D extends HpDef>(def: D) => KINDS[def.kind] as unknown as Kind<D>;

/** Turns what a spec wrote for a parameter (a value or a space) into a definition. */
export function toHpDef(written: unknown): HpDef {
  if (written !== null && typeof written === 'object' && !Array.isArray(written)) {
    for (const kind of Object.values(KINDS) as Array<Kind<HpDef>>) {
      const def = kind.parse(written as Record<string, unknown>);
      if (def) return def;
    }
  }
  return { kind: 'fixed', value: written as HpValue };
}

export const defaultValue = (def: HpDef): HpValue => kindOf(def).first(def);
export const describeHpDef = (def: HpDef): string => kindOf(def).describe(def);
export const sample = (def: HpDef, rng: Rng): HpValue => kindOf(def).sample(def, rng);
export const fits = (def: HpDef, value: HpValue): boolean => kindOf(def).fits(def, value);
export const encode = (def: HpDef, value: HpValue): Code | undefined => kindOf(def).encode(def, value);
export const decode = (def: HpDef, u: number): HpValue | undefined => kindOf(def).decode(def, Math.min(1, Math.max(0, u)));
