/** Every head a spec can name, in one explicit table: the schema, docs, trainer and data sources read it. */
import type { HeadDef, WrittenHead } from './head';
import { classification } from './classification';
import { regression } from './regression';

const TABLE = {
  classification,
  regression,
};

/** The table as code that takes any head type reads it. */
export const HEADS: Record<string, HeadDef> = TABLE;

type Defs = typeof TABLE;

/** A head as a spec writes it: the union of the head types' own, told apart by `type`. */
export type HeadSpec = { [K in keyof Defs]: Defs[K] extends HeadDef<infer T, infer S> ? WrittenHead<T, S> : never }[keyof Defs];
