/**
 * The memory estimate counts every input type through its module's size per example: a time-series
 * input is its length times its channels, and no type in the table is left out.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { INPUTS, inputWithDefaults, type WrittenInputSpec } from '../inputs/registry';
import { MAX_BATCH_BYTES, resourceProblems } from './resources';
import type { RawSpec } from './schema';

const GB = 2 ** 30;

const specWith = (input: WrittenInputSpec, rows = 100, batch_size = 32): RawSpec => ({
  name: 'resources',
  data: { source: 'random', rows },
  inputs: { x: input },
  heads: { y: { type: 'regression' } },
  search: { batch_size },
});

test('a time-series batch counts length x channels floats per row, and names length', () => {
  // 32 rows x 4 bytes x 2 channels x 2^21 steps = 512 MB: at the limit; one more step passes it.
  const steps = MAX_BATCH_BYTES / (32 * 4 * 2);
  const at: WrittenInputSpec = { type: 'timeseries', columns: ['a', 'b'], length: steps };
  assert.deepEqual(resourceProblems(specWith(at), 1024 * GB), []);
  const over = resourceProblems(specWith({ ...at, length: steps + 1 }), 1024 * GB);
  assert.equal(over.length, 1);
  assert.deepEqual(over[0].path, ['inputs', 'x', 'length']);
  assert.match(over[0].message, /^one batch of 32 rows of this input takes 512 MB/);
  // One channel (column, or none written) is half the size: well under the limit.
  assert.deepEqual(resourceProblems(specWith({ type: 'timeseries', column: 'a', length: steps + 1 }), 1024 * GB), []);
});

test('random time-series rows count length x channels floats each', () => {
  // 1,000 rows x 1,000 steps x 3 channels x 4 bytes = 12 MB: more than half of 16 MB, less than half of 32 MB.
  const input: WrittenInputSpec = { type: 'timeseries', columns: ['a', 'b', 'c'], length: 1000 };
  const problems = resourceProblems(specWith(input, 1000), 16 * 2 ** 20);
  assert.deepEqual(problems.map((p) => p.path), [['data', 'rows']]);
  assert.match(problems[0].message, /^1,000 random rows take 11\.4 MB/);
  assert.deepEqual(resourceProblems(specWith(input, 1000), 32 * 2 ** 20), []);
});

test('every input type is sized by its module: its example row is the values its spec-only shape holds', () => {
  for (const [type, def] of Object.entries(INPUTS)) {
    const written = def.example as WrittenInputSpec;
    const values = def.specInfo('x', inputWithDefaults(written)).shape.reduce((a, b) => a * b, 1);
    // Random rows whose total is exactly values x 4 bytes x rows: refused just below twice that memory.
    const rows = 1000;
    const bytes = values * 4 * rows;
    assert.deepEqual(resourceProblems(specWith(written, rows), 2 * bytes).map((p) => p.path), [], type);
    assert.deepEqual(resourceProblems(specWith(written, rows), 2 * bytes - 1).map((p) => p.path), [['data', 'rows']], type);
  }
});
