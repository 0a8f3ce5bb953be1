/**
 * Model outputs to predictions by head: class names and probabilities, values. No files here: the
 * Node predictor, the server and the browser bundle all decode outputs with this.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { HeadInfo, Preprocessing } from '../data/source';
import { InputArrays, toTensors } from '../data/raw-rows';

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

/** predictRows on encoded rows (raw-rows.ts), freeing the input tensors after. */
export function predictArrays(model: tfl.LayersModel, preprocessing: Preprocessing, arrays: InputArrays): Prediction[] {
  const xs = toTensors(arrays);
  try {
    return predictRows(model, preprocessing, xs);
  } finally {
    tf.dispose(Object.values(xs));
  }
}
