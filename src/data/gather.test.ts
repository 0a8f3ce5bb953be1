import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { gatherRows } from './gather';

test('gatherRows copies the rows asked for, in order, by loop (narrow rows) and by view (wide rows)', () => {
  for (const width of [3, 300]) {
    const data = Float32Array.from({ length: 10 * width }, (_, i) => i);
    const out = gatherRows(data, width, [7, 0, 7], new Float32Array(3 * width), 1);
    // Offset 1: positions 7, 0, 7 are rows 8, 1, 8.
    const expected = [8, 1, 8].flatMap((r) => Array.from({ length: width }, (_, j) => r * width + j));
    assert.deepEqual(Array.from(out), expected);
  }
  assert.deepEqual(Array.from(gatherRows(Int32Array.from([1, 2, 3, 4]), 2, [1], new Int32Array(2))), [3, 4]);
});
