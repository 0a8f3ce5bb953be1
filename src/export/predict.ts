/** Predictions from an exported (or best/) model directory, as table rows with named columns. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { readJson } from '../util/atomic';
import { makeRng } from '../util/rng';
import type { InputInfo, Preprocessing } from '../data/source';
import { DataError } from '../data/errors';
import { loadModelDir, MODEL_JSON } from './artifacts';
import { PREPROCESSING_JSON } from './export';
import { ClassPrediction, predictRows, ValuePrediction } from './outputs';

export { predictRows, type ClassPrediction, type Prediction, type ValuePrediction } from './outputs';

export interface PredictionTable {
  columns: string[];
  rows: Array<Array<string | number>>;
}

/** An exported model and what prepares its inputs; a clear error when `dir` is not one. */
export async function loadModelWithPreprocessing(dir: string): Promise<{ model: tfl.LayersModel; preprocessing: Preprocessing }> {
  for (const f of [MODEL_JSON, PREPROCESSING_JSON]) {
    if (!fs.existsSync(path.join(dir, f))) throw new DataError(`${dir}: no ${f} there; point at an exported model (automm export) or runs/<name>/best`);
  }
  return { model: await loadModelDir(dir), preprocessing: readJson<Preprocessing>(path.join(dir, PREPROCESSING_JSON)) };
}

/** Model inputs made up from the saved shapes: for smoke tests of an exported model. */
export function randomInputs(inputs: Record<string, InputInfo>, rows: number, seed = 0): Record<string, tf.Tensor> {
  const rng = makeRng(seed);
  return Object.fromEntries(
    Object.values(inputs).map((info) => {
      const size = info.shape.reduce((a, b) => a * b, 1) * rows;
      const data = info.dtype === 'int32'
        ? Int32Array.from({ length: size }, () => 2 + Math.floor(rng.next() * Math.max(1, (info.vocabSize ?? 3) - 2)))
        : Float32Array.from({ length: size }, () => (info.type === 'image' ? rng.next() : rng.normal()));
      return [info.name, tf.tensor(data, [rows, ...info.shape], info.dtype)];
    }),
  );
}

/** The same predictions as table columns: one per regression output; class then probabilities per classification head. */
export function predictTable(model: tfl.LayersModel, preprocessing: Preprocessing, inputs: Record<string, tf.Tensor>): PredictionTable {
  const predictions = predictRows(model, preprocessing, inputs);
  const heads = model.outputNames;
  const first = predictions[0] ?? {};
  return {
    columns: heads.flatMap((h) => headColumnNames(h, first[h])),
    rows: predictions.map((p) => heads.flatMap((h) => headCells(p[h]))),
  };
}

function headColumnNames(head: string, p: ClassPrediction | ValuePrediction | undefined): string[] {
  if (!p) return [head];
  if ('probabilities' in p) return [head, ...Object.keys(p.probabilities).map((n) => `${head}_prob_${n}`)];
  return p.values ? p.values.map((_, k) => `${head}_${k}`) : [head];
}

function headCells(p: ClassPrediction | ValuePrediction): Array<string | number> {
  if ('probabilities' in p) return [p.label, ...Object.values(p.probabilities).map(round)];
  return (p.values ?? [p.value]).map(round);
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

export function toCsv(table: PredictionTable): string {
  const esc = (v: string | number) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
  return [table.columns, ...table.rows].map((r) => r.map(esc).join(',')).join('\n') + '\n';
}
