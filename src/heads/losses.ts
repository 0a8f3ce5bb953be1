/**
 * Losses as plain tfjs-core functions returning the mean over the batch (and over outputs), the
 * numbers Keras reports. Probabilities are clipped away from 0 and 1 by Keras's epsilon so a
 * saturated output gives a large finite loss, not Infinity.
 */
import * as tf from '@tensorflow/tfjs-core';

const EPSILON = 1e-7;
const asFloat = (t: tf.Tensor): tf.Tensor => (t.dtype === 'float32' ? t : tf.cast(t, 'float32'));

/** Sigmoid outputs: one probability per unit against 0/1 targets (binary or multi-label). */
export const binaryCrossentropy = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
  tf.tidy(() => {
    const y = asFloat(yTrue);
    const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
    return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))))));
  });

/** Softmax outputs against one-hot targets; rows are renormalised as Keras does. */
export const categoricalCrossentropy = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
  tf.tidy(() => {
    const p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
    return tf.neg(tf.mean(tf.sum(tf.mul(asFloat(yTrue), tf.log(p)), -1)));
  });

export const meanSquaredError = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
  tf.tidy(() => tf.mean(tf.square(tf.sub(yPred, asFloat(yTrue)))));

export const meanAbsoluteError = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
  tf.tidy(() => tf.mean(tf.abs(tf.sub(yPred, asFloat(yTrue)))));

/** Keras's Huber with delta 1: squared below an error of 1, linear above, so outliers pull less. */
export const huber = (yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor =>
  tf.tidy(() => {
    const error = tf.abs(tf.sub(yPred, asFloat(yTrue)));
    const small = tf.minimum(error, 1);
    return tf.mean(tf.add(tf.mul(0.5, tf.square(small)), tf.sub(error, small)));
  });
