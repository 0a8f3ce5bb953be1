/** Every head a spec can name, in one explicit table: the schema, docs, trainer and data sources read it. */
import type { HeadDef } from './head';
import { classification } from './classification';
import { regression } from './regression';

export const HEADS: Record<string, HeadDef> = {
  classification,
  regression,
};
