/**
 * A saved model directory (automm export, or runs/<name>/best) as a library object that predicts
 * from raw rows, preprocessed exactly as the training rows were:
 *
 *   const p = await loadPredictor('model-dir');
 *   const [first] = await p.predict([{ photo_path: 'a.jpg', review: 'purrs a lot' }]);
 *   first.label.label, first.label.probabilities.cat
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { DataError, ProblemLog } from '../data/errors';
import { openTable, Table } from '../data/read-table';
import { PREDICTING, rowEncoder, rowsTable } from '../data/rows';
import type { Preprocessing } from '../data/source';
import { readJson } from '../util/atomic';
import { loadModelDir, MODEL_JSON } from './artifacts';
import { PREPROCESSING_JSON } from './export';
import { Prediction, PredictionTable, predictRows, predictTable } from './predict';
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
  predictFile(file: string): Promise<PredictionTable>;
  dispose(): void;
}

export async function loadPredictor(dir: string): Promise<Predictor> {
  for (const f of [MODEL_JSON, PREPROCESSING_JSON]) {
    if (!fs.existsSync(path.join(dir, f))) throw new DataError(`${dir}: no ${f} there; point at an exported model (automm export) or runs/<name>/best`);
  }
  const preprocessing = readJson<Preprocessing>(path.join(dir, PREPROCESSING_JSON));
  const encoder = rowEncoder(preprocessing);
  const model = await loadModelDir(dir);

  const chunks = async function* (table: Table) {
    await encoder.check(table);
    for await (const rows of table.chunks()) {
      for (let i = 0; i < rows.length; i += CHUNK_ROWS) yield encoder.encode(table, rows.slice(i, i + CHUNK_ROWS));
    }
  };
  return {
    model,
    preprocessing,
    columns: encoder.columns,
    async predict(rows, options = {}) {
      const out: Prediction[] = [];
      for await (const xs of chunks(rowsTable(rows, options.baseDir ?? process.cwd()))) {
        try {
          out.push(...predictRows(model, preprocessing, xs));
        } finally {
          tf.dispose(Object.values(xs));
        }
      }
      return out;
    },
    async predictFile(file) {
      const log = new ProblemLog(PREDICTING);
      const table = await openTable(path.resolve(file), log);
      log.throwIfAny();
      const result: PredictionTable = { columns: [], rows: [] };
      for await (const xs of chunks(table!)) {
        try {
          const part = predictTable(model, preprocessing, xs);
          result.columns = part.columns;
          result.rows.push(...part.rows);
        } finally {
          tf.dispose(Object.values(xs));
        }
      }
      return result;
    },
    dispose: () => model.dispose(),
  };
}
