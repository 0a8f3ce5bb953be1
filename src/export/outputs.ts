/**
 * Model outputs to predictions by head: class names and probabilities, values. No files here: the
 * Node predictor, the server and the browser bundle all decode outputs with this.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { HeadInfo, Preprocessing } from '../data/source';
import { InputArrays, toTensors } from '../data/raw-rows';
import { headData } from '../heads/data/registry';
import type { ClassPrediction, ValuePrediction } from '../heads/data/head-data';
import { assertFinite } from './artifact-error';

/** One row's predictions, by head name. */
export type Prediction = Record<string, ClassPrediction | ValuePrediction>;

export type { ClassPrediction, ValuePrediction } from '../heads/data/head-data';

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
  return headData(head.type).decode(head, v);
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
