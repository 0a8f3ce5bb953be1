/** Data for a spec, whatever its source: the one entry point the search and predict use. */
import type { Spec } from '../spec/types';
import type { PreparedData } from './source';
import { synthesize } from './synth';

export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

export async function prepareData(spec: Spec): Promise<PreparedData> {
  if (spec.data.source === 'random') return synthesize(spec);
  throw new DataError(`${spec.file}: data.source ${JSON.stringify(spec.data.source)}: table and image-folder sources are not available in this build yet; use "random"`);
}
