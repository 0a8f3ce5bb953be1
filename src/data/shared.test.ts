import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { loadSpec } from '../spec/validate';
import { prepareData } from './prepare';
import { fromShared } from './shared';
import type { DataSplit, SharedPrepared } from './source';
import { packageRoot } from '../util/package-info';

const PETS = path.join(packageRoot(), 'specs', 'table-pets.yaml');

async function rows(split: DataSplit, n: number): Promise<Record<string, number[]>> {
  const batch = await split.batch(Array.from({ length: n }, (_, i) => i));
  const all = { ...batch.xs, ...Object.fromEntries(Object.entries(batch.ys).map(([k, v]) => [`y:${k}`, v])) };
  const out = Object.fromEntries(Object.entries(all).map(([k, t]) => [k, Array.from(t.dataSync())]));
  tf.dispose(Object.values(all));
  return out;
}

test('shared table data gives the same batches (images, text, numbers, targets) as the data it came from', async () => {
  const data = await prepareData(loadSpec(PETS));
  const shared = structuredClone(data.share!());
  const copy = fromShared(shared);
  assert.deepEqual(copy.inputs, data.inputs);
  assert.deepEqual(copy.heads, data.heads);
  for (const part of ['train', 'validation', 'test'] as const) {
    assert.equal(copy[part]!.rows, data[part]!.rows);
    assert.deepEqual(await rows(copy[part]!, Math.min(8, data[part]!.rows)), await rows(data[part]!, Math.min(8, data[part]!.rows)));
  }
});

test('a worker thread reads the main thread\'s rows, not a copy of them', async () => {
  const data = await prepareData(loadSpec(PETS));
  const shared: SharedPrepared = data.share!();
  const store = shared.stores[shared.train.store];
  const input = store.inputs.findIndex((i) => i.column.kind === 'floats');
  const flag = new Int32Array(new SharedArrayBuffer(4));
  // The worker waits until the main thread has written into the shared column, then reports what it reads there.
  const worker = new Worker(`
    const { parentPort, workerData: w } = require('node:worker_threads');
    Atomics.wait(w.flag, 0, 0);
    parentPort.postMessage(w.shared.stores[w.store].inputs[w.input].column.data[0]);`,
  { eval: true, workerData: { shared, store: shared.train.store, input, flag } });
  try {
    const seen = new Promise((resolve) => worker.once('message', resolve));
    (store.inputs[input].column.data as Float32Array)[0] = 12345.5;
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    assert.equal(await seen, 12345.5);
  } finally {
    await worker.terminate();
  }
});
