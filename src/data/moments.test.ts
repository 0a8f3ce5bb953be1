import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RunningMoments } from './moments';

const standardisation = (values: number[]) => {
  const m = new RunningMoments();
  for (const x of values) m.add(x);
  return m.standardisation();
};

test('RunningMoments: the mean and population deviation, exact on large values; 1 for a constant stream', () => {
  const big = standardisation([1e9 + 1, 1e9 + 2, 1e9 + 3]);
  assert.equal(big.mean, 1e9 + 2);
  assert.ok(Math.abs(big.std - Math.sqrt(2 / 3)) < 1e-9, `${big.std}`);
  assert.deepEqual(standardisation([5, 5, 5]), { mean: 5, std: 1 });
  assert.deepEqual(standardisation([7]), { mean: 7, std: 1 });
  assert.deepEqual(standardisation([]), { mean: 0, std: 1 });
});
