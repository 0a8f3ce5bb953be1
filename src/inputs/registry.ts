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

export const INPUTS: Record<string, InputDef> = {
  image,
  text,
  structured,
  timeseries,
};

/** The definition of a (validated) input type. */
export function inputDef(type: string): InputDef {
  const def = INPUTS[type];
  if (!def) throw new Error(`unknown input type "${type}"; known: ${Object.keys(INPUTS).join(', ')}`);
  return def;
}
