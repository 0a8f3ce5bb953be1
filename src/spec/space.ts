/**
 * Block, head and search parameters: how one is written in a spec (a fixed value or a space) and the
 * space used when it is left out. One builder per parameter type returns both the JSON schema (for
 * validation and `automm schema`) and the default space, so the two cannot drift. The spaces
 * themselves (parse, default, describe, sample, encode) are src/hp/kinds.ts.
 */
import { Type, TSchema } from '@sinclair/typebox';
import { KINDS, type HpDef, type HpValue } from '../hp/kinds';

export { defaultValue, describeHpDef, toHpDef, type HpDef, type HpValue } from '../hp/kinds';

/** One parameter of a block or head: its schema (value or space) and the space used when left out. */
export interface ParamDef {
  schema: TSchema;
  default: HpDef;
  /** One line for the README's spec reference. */
  doc: string;
}

/** `expected` is read by the error summariser: it is what a user is told the key takes. */
function spaceSchema(item: TSchema, extra: TSchema[], expected: string): TSchema {
  return Type.Union([item, KINDS.choice.schema!(item), ...extra], { expected });
}

export const Hp = {
  int(opts: { min?: number; max?: number; default: HpDef; doc: string }): ParamDef {
    const item = Type.Integer({ minimum: opts.min, maximum: opts.max });
    const bound = opts.min !== undefined ? ` >= ${opts.min}` : '';
    return { schema: spaceSchema(item, [KINDS.int.schema!(item)], `an integer${bound} or a search space ({choice: [...]} or {int: [lo, hi]})`), default: opts.default, doc: opts.doc };
  },
  float(opts: { min?: number; max?: number; default: HpDef; doc: string }): ParamDef {
    const item = Type.Number({ minimum: opts.min, maximum: opts.max });
    const bounds = opts.min !== undefined && opts.max !== undefined ? ` in [${opts.min}, ${opts.max}]` : '';
    return { schema: spaceSchema(item, [KINDS.float.schema!(item)], `a number${bounds} or a search space ({choice: [...]} or {float: [lo, hi], log: true})`), default: opts.default, doc: opts.doc };
  },
  bool(opts: { default: HpDef; doc: string }): ParamDef {
    const item = Type.Boolean();
    return { schema: spaceSchema(item, [KINDS.boolean.schema!(item)], 'true, false, {boolean: true} or {choice: [...]}'), default: opts.default, doc: opts.doc };
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

