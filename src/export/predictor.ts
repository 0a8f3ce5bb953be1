/**
 * A saved model directory (automm export, or runs/<name>/best) as a library object that predicts
 * from raw rows, preprocessed exactly as the training rows were:
 *
 *   const p = await loadPredictor('model-dir');
 *   const [first] = await p.predict([{ photo_path: 'a.jpg', review: 'purrs a lot' }]);
 *   first.label.label, first.label.probabilities.cat
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { PREDICTING, ProblemLog } from '../data/errors';
import { openTable, Table } from '../data/read-table';
import { rowEncoder, rowsTable } from '../data/rows';
import type { Preprocessing } from '../data/source';
import { keptColumns, withKept } from './keep-columns';
import { Prediction, PredictionTable, loadModelWithPreprocessing, predictRows, predictTable } from './predict';
/** Rows per model call: bounds memory on a big file, large enough to keep the engine busy. */
const CHUNK_ROWS = 256;

export type { ClassPrediction, Prediction, ValuePrediction } from './predict';

export interface PredictOptions {
  /** Relative image paths in the rows are relative to this folder (default: the working directory). */
  baseDir?: string;
}

export interface Predictor {
  readonly model: tfl.LayersModel;
  readonly preprocessing: Preprocessing;
  /** The columns rows must have. */
  readonly columns: string[];
  predict(rows: Array<Record<string, unknown>>, options?: PredictOptions): Promise<Prediction[]>;
  /** A whole table file (CSV, TSV, JSONL, JSON) as prediction columns: what `automm predict --data` prints. */
  predictFile(file: string, options?: { keep?: string[] }): Promise<PredictionTable>;
  dispose(): void;
}

export async function loadPredictor(dir: string): Promise<Predictor> {
  const { model, preprocessing } = await loadModelWithPreprocessing(dir);
  const encoder = rowEncoder(preprocessing);

  /** Encoded chunks of the table; each one's tensors are freed once the caller has used it. */
  const chunks = async function* (table: Table) {
    await encoder.check(table);
    for await (const rows of table.chunks()) {
      for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
        const part = rows.slice(i, i + CHUNK_ROWS);
        const xs = await encoder.encode(table, part);
        try {
          yield { xs, rows: part };
        } finally {
          tf.dispose(Object.values(xs));
        }
      }
    }
  };
  return {
    model,
    preprocessing,
    columns: encoder.columns,
    async predict(rows, options = {}) {
      const out: Prediction[] = [];
      for await (const { xs } of chunks(rowsTable(rows, options.baseDir ?? process.cwd()))) out.push(...predictRows(model, preprocessing, xs));
      return out;
    },
    async predictFile(file, options = {}) {
      const log = new ProblemLog(PREDICTING);
      const table = await openTable(path.resolve(file), log);
      log.throwIfAny();
      const keep = options.keep ?? [];
      const positions = keptColumns(table!, keep);
      const result: PredictionTable = { columns: [], rows: [] };
      for await (const { xs, rows } of chunks(table!)) {
        const part = withKept(predictTable(model, preprocessing, xs), rows, keep, positions);
        result.columns = part.columns;
        result.rows.push(...part.rows);
      }
      return result;
    },
    dispose: () => model.dispose(),
  };
}
