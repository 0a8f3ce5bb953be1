/**
 * Hyperparameter spaces: how a block parameter is written in a spec (a fixed value or a space) and
 * the plain-data definitions the oracles sample from. One builder per parameter kind returns both the
 * JSON schema (for validation and `automm schema`) and the default space, so the two cannot drift.
 */
import { Type, TSchema } from '@sinclair/typebox';

export type HpValue = number | string | boolean;

/** A space in plain data: what oracles sample and what summaries print. */
export type HpDef =
  | { kind: 'fixed'; value: HpValue }
  | { kind: 'choice'; values: HpValue[] }
  | { kind: 'int'; lo: number; hi: number; step?: number }
  | { kind: 'float'; lo: number; hi: number; log?: boolean }
  | { kind: 'boolean' };

/** One parameter of a block or head: its schema (value or space) and the space used when left out. */
export interface ParamDef {
  schema: TSchema;
  default: HpDef;
  /** One line for the README's spec reference. */
  doc: string;
}

const choiceOf = (item: TSchema) =>
  Type.Object({ choice: Type.Array(item, { minItems: 1 }) }, { additionalProperties: false });
const range = (integer: boolean) =>
  Type.Object(
    {
      [integer ? 'int' : 'float']: Type.Tuple([integer ? Type.Integer() : Type.Number(), integer ? Type.Integer() : Type.Number()]),
      ...(integer ? { step: Type.Optional(Type.Integer({ minimum: 1 })) } : { log: Type.Optional(Type.Boolean()) }),
    },
    { additionalProperties: false },
  );

/** `expected` is read by the error summariser: it is what a user is told the key takes. */
function spaceSchema(item: TSchema, extra: TSchema[], expected: string): TSchema {
  return Type.Union([item, choiceOf(item), ...extra], { expected });
}

export const Hp = {
  int(opts: { min?: number; max?: number; default: HpDef; doc: string }): ParamDef {
    const item = Type.Integer({ minimum: opts.min, maximum: opts.max });
    const bound = opts.min !== undefined ? ` >= ${opts.min}` : '';
    return { schema: spaceSchema(item, [range(true)], `an integer${bound} or a search space ({choice: [...]} or {int: [lo, hi]})`), default: opts.default, doc: opts.doc };
  },
  float(opts: { min?: number; max?: number; default: HpDef; doc: string }): ParamDef {
    const item = Type.Number({ minimum: opts.min, maximum: opts.max });
    const bounds = opts.min !== undefined && opts.max !== undefined ? ` in [${opts.min}, ${opts.max}]` : '';
    return { schema: spaceSchema(item, [range(false)], `a number${bounds} or a search space ({choice: [...]} or {float: [lo, hi], log: true})`), default: opts.default, doc: opts.doc };
  },
  bool(opts: { default: HpDef; doc: string }): ParamDef {
    const item = Type.Boolean();
    const boolSpace = Type.Object({ boolean: Type.Literal(true) }, { additionalProperties: false });
    return { schema: spaceSchema(item, [boolSpace], 'true, false, {boolean: true} or {choice: [...]}'), default: opts.default, doc: opts.doc };
  },
  enum<T extends string>(values: readonly T[], opts: { default: HpDef; doc: string }): ParamDef {
    const item = Type.Union(values.map((v) => Type.Literal(v)));
    return { schema: spaceSchema(item, [], `one of ${values.join(', ')} or {choice: [...]}`), default: opts.default, doc: opts.doc };
  },
};

export const choice = (...values: HpValue[]): HpDef => ({ kind: 'choice', values });
export const fixed = (value: HpValue): HpDef => ({ kind: 'fixed', value });
export const intRange = (lo: number, hi: number, step?: number): HpDef => ({ kind: 'int', lo, hi, step });
export const floatRange = (lo: number, hi: number, log = false): HpDef => ({ kind: 'float', lo, hi, log });
export const boolean = (): HpDef => ({ kind: 'boolean' });

/** Turns what a spec wrote for a parameter (a value or a space) into a definition. */
export function toHpDef(written: unknown): HpDef {
  if (written !== null && typeof written === 'object' && !Array.isArray(written)) {
    const w = written as Record<string, unknown>;
    if (Array.isArray(w.choice)) return { kind: 'choice', values: w.choice as HpValue[] };
    if (Array.isArray(w.int)) return { kind: 'int', lo: w.int[0] as number, hi: w.int[1] as number, step: w.step as number | undefined };
    if (Array.isArray(w.float)) return { kind: 'float', lo: w.float[0] as number, hi: w.float[1] as number, log: w.log === true };
    if (w.boolean === true) return { kind: 'boolean' };
  }
  return { kind: 'fixed', value: written as HpValue };
}

/** The value a space starts from: Keras-style sensible defaults are listed first in every choice. */
export function defaultValue(def: HpDef): HpValue {
  switch (def.kind) {
    case 'fixed': return def.value;
    case 'choice': return def.values[0];
    case 'int': return def.lo;
    case 'float': return def.log ? Math.sqrt(def.lo * def.hi) : def.lo;
    case 'boolean': return false;
  }
}

export function describeHpDef(def: HpDef): string {
  switch (def.kind) {
    case 'fixed': return JSON.stringify(def.value);
    case 'choice': return `choice ${JSON.stringify(def.values)}`;
    case 'int': return `int [${def.lo}, ${def.hi}]${def.step ? ` step ${def.step}` : ''}`;
    case 'float': return `float [${def.lo}, ${def.hi}]${def.log ? ' log' : ''}`;
    case 'boolean': return 'boolean';
  }
}
