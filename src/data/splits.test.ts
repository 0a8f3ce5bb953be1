import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { DataSplit } from './source';
import { refitSplits } from './splits';

/** A split whose row i holds the value base + i. */
const rowsFrom = (base: number, rows: number): DataSplit => ({
  rows,
  batch: async (indices) => ({ xs: { x: tf.tensor1d(Array.from(indices, (i) => base + i)) }, ys: {} }),
});

const values = async (split: DataSplit) => {
  const b = await split.batch(Int32Array.from({ length: split.rows }, (_, i) => i));
  const out = Array.from(b.xs.x.dataSync());
  b.xs.x.dispose();
  return out;
};

test('refit trains on training rows plus every other validation row and holds back the rest', async () => {
  await tf.setBackend('cpu');
  const { train, validation } = refitSplits(rowsFrom(0, 4), rowsFrom(100, 5));
  assert.deepEqual(await values(train), [0, 1, 2, 3, 100, 102, 104]);
  assert.deepEqual(await values(validation), [101, 103]);
  const tiny = refitSplits(rowsFrom(0, 2), rowsFrom(100, 1));
  assert.equal(tiny.train.rows, 3, 'one validation row: nothing to hold back, it is trained on');
});
