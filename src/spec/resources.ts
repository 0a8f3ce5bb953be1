/**
 * Memory the spec asks for, estimated from the spec alone before anything is built: one batch of
 * every input (each input type's module gives its size per example), random data's rows, and a
 * text input's embedding table. Past the limits below a trial could only fail (wasm addresses
 * 4 GB) or exhaust the machine, so validation refuses it and shows the numbers.
 */
import * as os from 'node:os';
import type { RawSpec } from './schema';
import type { CheckProblem } from './check-problem';
import { DEFAULTS } from './defaults';
import { INPUTS, inputWithDefaults, type WrittenInputSpec } from '../inputs/registry';

/** One batch of inputs; activations take several times this, and wasm addresses 4 GB in all. */
export const MAX_BATCH_BYTES = 512 * 2 ** 20;
/** An embedding table with its gradient and Adam's two moments (4 copies), at the smallest default width (32). */
export const MAX_EMBEDDING_BYTES = 2 * 2 ** 30;
const EMBEDDING_COPIES = 4;
const SMALLEST_EMBEDDING_DIM = 32;

const num = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en') : String(Number(v.toPrecision(3))));
/** Bytes as people read them: 512 MB, 3.5 GB, 3,576 GB. */
export const gb = (bytes: number) => (bytes >= 2 ** 30 ? `${num(bytes / 2 ** 30)} GB` : `${num(bytes / 2 ** 20)} MB`);

/**
 * Values per example of an input, as its type's module sizes it from the spec (a table's column
 * names count one each; "rest" is unknown until the data is read). A type the schema refused
 * counts one.
 */
function exampleValues(input: WrittenInputSpec): number {
  const def = INPUTS[input?.type];
  return def ? def.exampleShape(inputWithDefaults(input)).reduce((a, b) => a * b, 1) : 1;
}

export function resourceProblems(spec: RawSpec, totalMemory = os.totalmem()): CheckProblem[] {
  const inputs = spec.inputs;
  const batch = spec.search?.batch_size ?? DEFAULTS.batch_size;
  const problems: CheckProblem[] = [];
  // A batch size that is not a number was reported by the schema; no estimate can use it.
  if (!Number.isFinite(batch)) return [];
  for (const [name, input] of Object.entries(inputs)) {
    const def = INPUTS[input?.type];
    if (!def) continue;
    const bytes = exampleValues(input) * 4 * batch;
    if (bytes > MAX_BATCH_BYTES) {
      problems.push({ path: ['inputs', name, def.sizeKey], message: `one batch of ${batch} rows of this input takes ${gb(bytes)} (limit ${gb(MAX_BATCH_BYTES)}: training needs several times that, and the wasm engine addresses 4 GB); use a smaller shape or search.batch_size` });
    }
    const vocabulary = input.type === 'text' ? input.max_tokens ?? DEFAULTS.max_tokens : 0;
    const table = vocabulary * SMALLEST_EMBEDDING_DIM * 4 * EMBEDDING_COPIES;
    if (table > MAX_EMBEDDING_BYTES) {
      problems.push({ path: ['inputs', name, 'max_tokens'], message: `an embedding of ${vocabulary.toLocaleString('en')} tokens takes at least ${gb(table)} to train (limit ${gb(MAX_EMBEDDING_BYTES)}); use a smaller max_tokens` });
    }
  }
  const data = spec.data;
  if (data.source === 'random' && problems.length === 0) {
    const rowBytes = Object.values(inputs).reduce((sum, i) => sum + exampleValues(i) * 4, 0);
    const total = rowBytes * (data.rows ?? DEFAULTS.rows);
    if (total > totalMemory / 2) problems.push({ path: ['data', 'rows'], message: `${(data.rows ?? DEFAULTS.rows).toLocaleString('en')} random rows take ${gb(total)}, more than half of this machine's ${gb(totalMemory)}; use fewer rows` });
  }
  return problems;
}
