/**
 * tfjs's Dropout layer with its training-time mask made in one JavaScript loop. tfjs draws the
 * uniform numbers into a tensor and then runs add, floor, div and mul, four kernels and four tape
 * entries for every dropout layer at every step; on the short-trial bench search the dropout layers
 * cost a fifth of the training time. This layer draws the same numbers from the same generator
 * (seedrandom's alea, seeded by one Math.random() per call as tfjs does), rounds as those kernels
 * do, and runs one multiplication under one custom gradient: the same outputs and gradients bit for
 * bit (dropout.test.ts), so a trial's scores do not change. Its class name stays 'Dropout': a saved
 * model loads as tfjs's own layer.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import seedrandom from 'seedrandom';

const F = Math.fround;

type LayerArgs = Parameters<typeof tfl.layers.dropout>[0];

interface TfjsDropout extends tfl.layers.Layer {
  readonly rate: number;
  readonly noiseShape?: number[];
  readonly seed?: number;
}

/**
 * tfjs-layers does not export its Dropout class; an instance's constructor is it. Named, so that it
 * takes no number from the counter that names unnamed layers (dropout_Dropout1, ...).
 */
const TfjsDropoutClass = tfl.layers.dropout({ rate: 0.5, name: 'automm_dropout_class' }).constructor as new (args: LayerArgs) => TfjsDropout;

export class FusedDropout extends TfjsDropoutClass {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean } = {}): tf.Tensor | tf.Tensor[] {
    // tfjs's own path where ours would differ: a noise shape or a fixed seed.
    if (this.noiseShape != null || this.seed != null) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      (this as unknown as { invokeCallHook(i: unknown, k: unknown): void }).invokeCallHook(inputs, kwargs);
      const input = Array.isArray(inputs) ? inputs[0] : inputs;
      if (!(this.rate > 0 && this.rate < 1) || !kwargs.training) return input;
      return dropout(input, this.rate);
    });
  }
}

/** A dropout layer: what blocks and heads add after their layers. */
export function dropoutLayer(args: { rate: number; name: string }): tfl.layers.Layer {
  return new FusedDropout(args);
}

/** x * mask, the mask tfjs's dropout would draw; its gradient is dy * mask. */
export function dropout(x: tf.Tensor, rate: number): tf.Tensor {
  const mask = tf.tensor(dropoutMask(x.size, rate), x.shape, 'float32');
  // customGrad hands its function the inputs and then the save function, in one argument list.
  const masked = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([mask]);
    return { value: tf.mul(input, mask), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]) };
  });
  return masked(x);
}

/**
 * tfjs's multiplier floor(u + keep) / keep for `size` uniform draws u, each step rounded to float32
 * as its kernels round it (u is stored as float32, keep is a float32 scalar).
 */
export function dropoutMask(size: number, rate: number): Float32Array {
  // tfjs's randomUniform with no seed: alea seeded by the string of one Math.random().
  const random = seedrandom.alea(Math.random().toString());
  const keep = F(1 - rate);
  const mask = new Float32Array(size);
  for (let i = 0; i < size; i++) mask[i] = F(Math.floor(F(F(random()) + keep)) / keep);
  return mask;
}
