import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { Mean, Sum, getGradient } from '@tensorflow/tfjs-core';
import { TFJS_GRADIENTS } from './gradients';
import { engineReady, randomArray } from './testing';

const CASES: Array<{ shape: number[]; axis: number | number[]; keepDims: boolean }> = [
  { shape: [4, 6, 6, 8], axis: [1, 2], keepDims: false }, // global average pooling 2-D
  { shape: [5, 7, 3], axis: 1, keepDims: false }, // global average pooling 1-D
  { shape: [3, 4, 5], axis: [0, 2], keepDims: true },
  { shape: [6, 4], axis: -1, keepDims: false },
  { shape: [9], axis: 0, keepDims: false },
];

/** x's gradient from a config, for a dy of the reduced shape. */
function gradient(kernel: string, useTfjs: boolean, x: tf.Tensor, dy: tf.Tensor, axis: number | number[], keepDims: boolean): Float32Array {
  const config = useTfjs ? TFJS_GRADIENTS.get(kernel)! : getGradient(kernel)!;
  return tf.tidy(() => (config.gradFunc(dy, [x], { axis, keepDims }) as { x: () => tf.Tensor }).x()).dataSync() as Float32Array;
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`Sum and Mean gradients equal tfjs's bit for bit, without the tensor of ones (${backend})`, async () => {
    await engineReady();
    await tf.setBackend(backend);
    for (const kernel of [Sum, Mean]) {
      assert.ok(TFJS_GRADIENTS.has(kernel) && getGradient(kernel) !== TFJS_GRADIENTS.get(kernel), `${kernel}: ours is not registered`);
      CASES.forEach(({ shape, axis, keepDims }, i) => {
        const x = tf.tensor(randomArray(shape.reduce((a, b) => a * b, 1), i), shape);
        const reduced = tf.sum(x, axis, keepDims);
        const dy = tf.tensor(randomArray(reduced.size, 100 + i, -3, 3), reduced.shape);
        const ours = gradient(kernel, false, x, dy, axis, keepDims);
        const theirs = gradient(kernel, true, x, dy, axis, keepDims);
        assert.deepEqual(Array.from(ours), Array.from(theirs), `${kernel} over ${axis} of [${shape}]`);
        tf.dispose([x, reduced, dy]);
      });
    }
  });
}

test('training through a global average pooling takes the same steps as with tfjs\'s gradients', async () => {
  await engineReady();
  await tf.setBackend('wasm');
  const x = tf.tensor(randomArray(2 * 4 * 4 * 3, 7), [2, 4, 4, 3]);
  const grads = () => tf.grads((v: tf.Tensor) => tf.mean(tf.square(tf.mean(v, [1, 2])))).call(null, [x])[0].dataSync();
  const ours = Array.from(grads());
  const saved = { sum: getGradient(Sum)!, mean: getGradient(Mean)! };
  try {
    tf.registerGradient(TFJS_GRADIENTS.get(Sum)!);
    tf.registerGradient(TFJS_GRADIENTS.get(Mean)!);
    assert.deepEqual(ours, Array.from(grads()));
  } finally {
    tf.registerGradient(saved.sum);
    tf.registerGradient(saved.mean);
  }
  x.dispose();
});
