/**
 * The augmentation ops on both backends automm trains with on a CPU: wasm must give what cpu
 * gives, draw for draw. Its own file: it switches the global backend.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { AugmentFactors, augmentBatch } from './augment-ops';

const ALL: AugmentFactors = { horizontalFlip: true, verticalFlip: true, translationFactor: 0.2, rotationFactor: 0.1, zoomFactor: 0.2, contrastFactor: 0.3 };
const realRandom = Math.random;
after(() => {
  Math.random = realRandom;
});

/** The same draws on every run: a fixed sequence standing in for the trial-seeded Math.random. */
function withDraws<T>(fn: () => T): T {
  let i = 0;
  Math.random = () => ((i++ * 0.618034) % 1);
  try {
    return fn();
  } finally {
    Math.random = realRandom;
  }
}

async function augmentOn(backend: string): Promise<Float32Array> {
  assert.ok(await tf.setBackend(backend), `backend ${backend}`);
  const images = tf.tidy(() => tf.reshape(tf.range(0, 3 * 6 * 5 * 2), [3, 6, 5, 2]) as tf.Tensor4D);
  const out = withDraws(() => augmentBatch(images, ALL));
  const values = (await out.data()) as Float32Array;
  tf.dispose([images, out]);
  return values;
}

test('wasm and cpu agree on every augmentation', async () => {
  const cpu = await augmentOn('cpu');
  const wasm = await augmentOn('wasm');
  assert.equal(wasm.length, cpu.length);
  const worst = Math.max(...cpu.map((v, i) => Math.abs(v - wasm[i])));
  assert.ok(worst < 1e-3, `largest difference ${worst}`);
});
