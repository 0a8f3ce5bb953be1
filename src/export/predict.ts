/** Predictions from an exported (or best/) model directory, as table rows with named columns. */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { readJson } from '../util/atomic';
import { makeRng } from '../util/rng';
import type { HeadInfo, InputInfo, Preprocessing } from '../data/source';
import { loadModelDir } from './artifacts';
import { PREPROCESSING_JSON } from './export';

export interface PredictionTable {
  columns: string[];
  rows: Array<Array<string | number>>;
}

export async function loadModelWithPreprocessing(dir: string): Promise<{ model: tfl.LayersModel; preprocessing: Preprocessing }> {
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

export function predictTable(model: tfl.LayersModel, preprocessing: Preprocessing, inputs: Record<string, tf.Tensor>): PredictionTable {
  const ordered = model.inputNames.map((n) => inputs[n]);
  const raw = model.predict(ordered.length === 1 ? ordered[0] : ordered) as tf.Tensor | tf.Tensor[];
  const outputs = Array.isArray(raw) ? raw : [raw];
  try {
    const parts = model.outputNames.map((name, i) => headColumns(preprocessing.heads[name], outputs[i].arraySync() as number[][]));
    const rows = (parts[0]?.rows ?? []).map((_, r) => parts.flatMap((p) => p.rows[r]));
    return { columns: parts.flatMap((p) => p.columns), rows };
  } finally {
    tf.dispose(outputs);
  }
}

const className = (head: HeadInfo, k: number) => head.classNames?.[k] ?? String(k);

/** Regression: one column per output; classification: the class, then one probability per class. */
function headColumns(head: HeadInfo, values: number[][]): PredictionTable {
  if (head.type === 'regression') {
    const units = values[0]?.length ?? 1;
    return { columns: units === 1 ? [head.name] : values[0].map((_, k) => `${head.name}_${k}`), rows: values.map((v) => v.map(round)) };
  }
  const classes = head.classes ?? values[0].length;
  const probs = values.map((v) => (v.length === 1 && classes === 2 ? [1 - v[0], v[0]] : v));
  const names = Array.from({ length: classes }, (_, k) => className(head, k));
  const label = (p: number[]) => (head.multiLabel ? names.filter((_, k) => p[k] > 0.5).join('|') : names[p.indexOf(Math.max(...p))]);
  return { columns: [head.name, ...names.map((n) => `${head.name}_prob_${n}`)], rows: probs.map((p) => [label(p), ...p.map(round)]) };
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

export function toCsv(table: PredictionTable): string {
  const esc = (v: string | number) => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
  return [table.columns, ...table.rows].map((r) => r.map(esc).join(',')).join('\n') + '\n';
}
