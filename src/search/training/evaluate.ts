/**
 * Validation and test scores: every row's outputs gathered first, then each head scored over the
 * whole set, in the target's own units.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { DataSplit } from '../../data/source';
import { forwardValue, inverseValue } from '../../data/target-scaling';
import { HEADS } from '../../heads/registry';
import { headScores } from '../../heads/head-scores';
import { headLossName, headMetricName } from '../../heads/log-names';
import type { EpochLogs } from '../trial';
import type { CompiledHead } from './compile';
import { range } from './dataset';
import { unweightedLoss } from './logs';

/** What a model's regression outputs hold: the trained graph's standardised values, or an export's original units. */
export type ModelOutputs = 'trained' | 'exported';

/**
 * Validation (and test) logs, computed here rather than by fitDataset's validationData, whose logs
 * come out misaligned with their names in tfjs-layers 4.22 for multi-output models. Predictions of
 * the whole split are gathered first, so every score is exact over the set (precision, recall, F1,
 * AUC and R² are not means of batch values), and regression scores are in the target's own units.
 */
export async function evaluate(model: tfl.LayersModel, split: DataSplit, heads: CompiledHead[], batchSize: number, prefix = '', outputs: ModelOutputs = 'trained'): Promise<EpochLogs> {
  const { yTrue, yPred } = await predictSplit(model, split, heads, batchSize);
  const logs: EpochLogs = {};
  heads.forEach((h, i) => Object.assign(logs, headLogs(h, yTrue[i], yPred[i], outputs, prefix)));
  logs[`${prefix}loss`] = heads.reduce((sum, h) => sum + h.weight * logs[prefix + headLossName(h.name)], 0);
  logs[`${prefix}unweighted_loss`] = unweightedLoss(logs, heads, prefix);
  return logs;
}

/**
 * Every row's targets and outputs per head (in the model's output order), row-major. Each batch's
 * tensors stay on the device and are read once per head at the end, so an accelerator is not
 * synchronised per batch.
 */
export async function predictSplit(model: tfl.LayersModel, split: DataSplit, heads: readonly { name: string }[], batchSize: number): Promise<{ yTrue: Float32Array[]; yPred: Float32Array[] }> {
  const truths: tf.Tensor[][] = heads.map(() => []);
  const preds: tf.Tensor[][] = heads.map(() => []);
  try {
    for (let start = 0; start < split.rows; start += batchSize) {
      const indices = range(start, Math.min(start + batchSize, split.rows));
      const batch = await split.batch(indices);
      const inputs = model.inputNames.map((n) => batch.xs[n]);
      const outputs = [model.predict(inputs.length === 1 ? inputs[0] : inputs, { batchSize: indices.length })].flat() as tf.Tensor[];
      const kept = new Set<tf.Tensor>(heads.flatMap((h, i) => [batch.ys[h.name], outputs[i]]));
      heads.forEach((h, i) => (truths[i].push(batch.ys[h.name]), preds[i].push(outputs[i])));
      tf.dispose([...Object.values(batch.xs), ...Object.values(batch.ys), ...outputs].filter((t) => !kept.has(t)));
    }
    return { yTrue: await Promise.all(truths.map(readRows)), yPred: await Promise.all(preds.map(readRows)) };
  } finally {
    tf.dispose([...truths.flat(), ...preds.flat()]);
  }
}

/** One head's values of every batch, as one row-major array. */
async function readRows(parts: tf.Tensor[]): Promise<Float32Array> {
  if (parts.length === 0) return new Float32Array(0);
  const all = tf.tidy(() => tf.concat(parts.map((p) => tf.reshape(p, [p.shape[0], -1]))));
  try {
    return Float32Array.from(await all.data());
  } finally {
    all.dispose();
  }
}

/** One head's loss (on the scale it trains on) and its scores (in original units). */
function headLogs(h: CompiledHead, yTrue: Float32Array, yPred: Float32Array, outputs: ModelOutputs, prefix: string): EpochLogs {
  const s = h.info.scaling;
  const width = h.width;
  const rows = yTrue.length / width;
  // No rows (a tiny validation split): NaN, which no objective prefers.
  if (rows === 0) return Object.fromEntries([headLossName(h.name), ...HEADS[h.info.type].scores.map((k) => headMetricName(h.name, k))].map((n) => [prefix + n, NaN]));
  const original = s && outputs === 'trained' ? Float64Array.from(yPred, (z) => inverseValue(s, z)) : yPred;
  const standardised = s && outputs === 'exported' ? Float32Array.from(yPred, (v) => forwardValue(s, v)) : yPred;
  const loss = tf.tidy(() => h.loss.fn(tf.tensor2d(yTrue, [rows, width]), tf.tensor2d(standardised, [rows, width])).dataSync()[0]);
  const scores = headScores(h.info, yTrue, original, width);
  return { [prefix + headLossName(h.name)]: loss, ...Object.fromEntries(Object.entries(scores).map(([k, v]) => [prefix + headMetricName(h.name, k), v])) };
}
