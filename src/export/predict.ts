/** Predictions from an exported (or best/) model directory, as table rows with named columns. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { readJson } from '../util/atomic';
import { makeRng } from '../util/rng';
import type { HeadInfo, InputInfo, Preprocessing } from '../data/source';
import { DataError } from '../data/errors';
import { loadModelDir, MODEL_JSON } from './artifacts';
import { PREPROCESSING_JSON } from './export';
import { assertFinite } from './verify';

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

/** One row's predictions, by head name. */
export type Prediction = Record<string, ClassPrediction | ValuePrediction>;

export interface ClassPrediction {
  /** The most probable class; multi-label: every class above 0.5, joined with "|". */
  label: string;
  /** Multi-label only: the classes above 0.5. */
  labels?: string[];
  /** Every class's probability, by class name, in output order. */
  probabilities: Record<string, number>;
}

export interface ValuePrediction {
  value: number;
  /** Heads with several outputs: all of them. */
  values?: number[];
}

/** Runs the model on inputs keyed by input name; one Prediction per row. */
export function predictRows(model: tfl.LayersModel, preprocessing: Preprocessing, xs: Record<string, tf.Tensor>): Prediction[] {
  const ordered = model.inputNames.map((n) => xs[n]);
  const raw = model.predict(ordered.length === 1 ? ordered[0] : ordered) as tf.Tensor | tf.Tensor[];
  const outputs = Array.isArray(raw) ? raw : [raw];
  try {
    const perHead = model.outputNames.map((name, i) => ({ name, info: preprocessing.heads[name], values: outputs[i].arraySync() as number[][] }));
    perHead.forEach((h) => assertFinite(h.name, h.values));
    const rows = perHead[0]?.values.length ?? 0;
    return Array.from({ length: rows }, (_, r) => Object.fromEntries(perHead.map((h) => [h.name, headPrediction(h.info, h.values[r])])));
  } finally {
    tf.dispose(outputs);
  }
}

function headPrediction(head: HeadInfo, v: number[]): ClassPrediction | ValuePrediction {
  if (head.type === 'regression') return v.length === 1 ? { value: v[0] } : { value: v[0], values: v };
  const names = head.classNames ?? Array.from({ length: head.classes ?? v.length }, (_, k) => String(k));
  // Two exclusive classes come out of one sigmoid unit: the probability of the second.
  const p = !head.multiLabel && v.length === 1 ? [1 - v[0], v[0]] : v;
  const probabilities = Object.fromEntries(names.map((n, k) => [n, p[k]]));
  if (head.multiLabel) {
    const labels = names.filter((_, k) => p[k] > 0.5);
    return { label: labels.join('|'), labels, probabilities };
  }
  return { label: names[p.indexOf(Math.max(...p))], probabilities };
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
