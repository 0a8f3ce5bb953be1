/** Data for a spec, whatever its source: the one entry point the search and predict use. */
import type { Spec } from '../spec/types';
import type { PreparedData } from './source';
import { synthesize } from './synth';
import { prepareTable } from './table';

export { DataError } from './errors';
export type { DataProblem } from './errors';

/**
 * "random": made-up rows shaped by the spec. A path (.csv, .tsv, .jsonl, .json) or {images: folder}:
 * the rows on disk, with preprocessing learned from the training rows; every data problem is
 * reported at once as a DataError before anything is trained.
 */
export async function prepareData(spec: Spec): Promise<PreparedData> {
  if (spec.data.source === 'random') return synthesize(spec);
  return prepareTable(spec);
}
