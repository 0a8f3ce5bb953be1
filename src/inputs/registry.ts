/**
 * Every input type a spec can name, in one explicit table (no registration by import): the spec
 * schema, defaults, the data pipeline (columns, scan, learn, encode, store), random data, basic
 * mode, predict, serve and the browser bundle all read it. A new input type is one module
 * implementing InputDef (input.ts) plus one line here.
 */
import type { InputDef } from './input';
import { image } from './image';
import { structured } from './structured';
import { text } from './text';
import { timeseries } from './timeseries';

const TABLE = {
  image,
  text,
  structured,
  timeseries,
};

/** The table as code that takes any input type reads it. */
export const INPUTS: Record<string, InputDef> = TABLE;

type Defs = typeof TABLE;
/** Each type's input as written (W, its schema's static type) and after defaults (D). */
type Written<K extends keyof Defs> = Defs[K] extends InputDef<infer W, infer _D, infer _S> ? W : never;
type Defaulted<K extends keyof Defs> = Defs[K] extends InputDef<infer _W, infer D, infer _S> ? D : never;

/** An input as a spec writes it: the union of the input types' schema types, told apart by `type`. */
export type WrittenInputSpec = { [K in keyof Defs]: Written<K> }[keyof Defs];

/** An input after its defaults (what the rest of automm reads): each type's own spec, told apart by `type`. */
export type InputSpec = { [K in keyof Defs]: Defaulted<K> }[keyof Defs];

/** A written input with its type's defaults filled in. */
export function inputWithDefaults(written: WrittenInputSpec): InputSpec {
  const def = inputDef(written.type);
  // The table's entries are erased to InputDef (any type); `type` picked the one this input is.
  return (def.withDefaults ? def.withDefaults(written) : written) as InputSpec;
}

/** The definition of a (validated) input type. */
export function inputDef(type: string): InputDef {
  const def = INPUTS[type];
  if (!def) throw new Error(`unknown input type "${type}"; known: ${Object.keys(INPUTS).join(', ')}`);
  return def;
}
