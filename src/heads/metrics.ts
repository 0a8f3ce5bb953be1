/**
 * Metric functions, each a mean over the batch. tfjs-layers reports a metric for an epoch as
 * the batch-size-weighted mean of its per-batch values, which is exact only for metrics that are
 * themselves means over examples (accuracy, mae, mse). Precision, recall and AUC are ratios over
 * the whole set, so they are not offered; rmse is the one exception, see below.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LossOrMetricFn } from './head';
import { meanAbsoluteError, meanSquaredError } from './losses';

/**
 * A copy of `fn` whose `name` is `name`: tfjs-layers logs a custom metric under fn.name
 * (prefixed by the output's name when a model has several), and arrow functions have none.
 */
export function namedMetric(name: string, fn: LossOrMetricFn): LossOrMetricFn {
  const named: LossOrMetricFn = (yTrue, yPred) => fn(yTrue, yPred);
  return Object.defineProperty(named, 'name', { value: name });
}

/** Sigmoid outputs: the share of units on the right side of 0.5 (all labels of all examples). */
export const binaryAccuracy = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
  tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.greater(yTrue, 0.5), tf.greater(yPred, 0.5)), 'float32')));

/** Softmax outputs: the share of examples whose most probable class is the target's. */
export const categoricalAccuracy = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
  tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), 'float32')));

export const mae = meanAbsoluteError;
export const mse = meanSquaredError;

/**
 * The root of each batch's mse, averaged over batches: Keras's RootMeanSquaredError is stateful
 * and exact; this reads slightly low when batches vary (sqrt is concave), fine for ranking trials
 * trained with the same batch size. Prefer mse as an objective when exactness matters.
 */
export const rmse = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor => tf.tidy(() => tf.sqrt(meanSquaredError(yTrue, yPred)));
