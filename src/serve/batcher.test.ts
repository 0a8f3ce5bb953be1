/** Micro-batching on its own: what shares a call, what does not, and failures reaching every caller. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { InputArrays } from '../data/raw-rows';
import { concat, MicroBatcher } from './batcher';

/** `rows` rows of one float input whose values are the row numbers from `from`. */
const rows = (from: number, n: number): InputArrays => ({ x: { data: Float32Array.from({ length: n * 2 }, (_, i) => from + Math.floor(i / 2)), shape: [n, 2], dtype: 'float32' } });

test('requests waiting together share a call up to maxRows, in order, each getting its own rows back', async () => {
  const calls: number[][] = [];
  const batcher = new MicroBatcher<number>(async (a) => {
    const ids = Array.from({ length: a.x.shape[0] }, (_, r) => a.x.data[r * 2]);
    calls.push(ids);
    return ids;
  }, { maxRows: 5, maxDelayMs: 20 });
  const results = await Promise.all([batcher.submit(rows(0, 2), 2), batcher.submit(rows(2, 2), 2), batcher.submit(rows(4, 3), 3), batcher.submit(rows(7, 9), 9)]);
  assert.deepEqual(results, [[0, 1], [2, 3], [4, 5, 6], [7, 8, 9, 10, 11, 12, 13, 14, 15]]);
  // 2 + 2 fit in 5; 3 more would not; 9 is over maxRows and runs alone.
  assert.deepEqual(calls.map((c) => c.length), [4, 3, 9]);
  assert.deepEqual([batcher.calls, batcher.rows], [3, 16]);
});

test('a failed call rejects every request in it, and the next call runs normally', async () => {
  let fail = true;
  const batcher = new MicroBatcher<number>(async (a) => {
    if (fail) throw new Error('engine down');
    return Array.from({ length: a.x.shape[0] }, () => 1);
  }, { maxRows: 8, maxDelayMs: 5 });
  const both = [batcher.submit(rows(0, 1), 1), batcher.submit(rows(1, 1), 1)];
  for (const p of both) await assert.rejects(p, /engine down/);
  fail = false;
  assert.deepEqual(await batcher.submit(rows(0, 2), 2), [1, 1]);
});

test('concat keeps int inputs int and stacks the batch dimension', () => {
  const ints = (n: number): InputArrays => ({ t: { data: Int32Array.from({ length: n * 3 }, (_, i) => i), shape: [n, 3], dtype: 'int32' } });
  const joined = concat([ints(1), ints(2)]);
  assert.ok(joined.t.data instanceof Int32Array);
  assert.deepEqual(joined.t.shape, [3, 3]);
  assert.deepEqual(Array.from(joined.t.data), [0, 1, 2, 0, 1, 2, 3, 4, 5]);
});
