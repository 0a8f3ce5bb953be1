/** The pool of worker threads: a stop reaches a trial in the middle of its epochs; a worker that cannot start is dropped. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSpecText } from '../spec/validate';
import { planGraph } from '../graph/plan';
import { resolveTrial } from '../graph/resolve';
import { defaultValue } from '../spec/space';
import { poolExecutor } from './executors';

const SPEC = `name: p
data: {source: random, rows: 32}
inputs:
  nums: {type: structured, columns: 4}
heads:
  y: {type: regression}
search: {max_trials: 1, epochs: 400, batch_size: 16}
`;

// Training gives its thread's event loop nothing back between epochs: a stop sent as a message
// was read only when the trial ended (a worker's Ctrl-C then trained it to its last epoch).
test('a stopped pool ends its trial in flight at the next epoch boundary', async () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'automm-pool-'));
  const spec = loadSpecText(SPEC);
  const pool = await poolExecutor({ spec, project, backend: 'wasm', threads: 1 }, 1);
  try {
    const values = resolveTrial(spec, planGraph(spec), (_, d) => defaultValue(d)).values;
    let epochs = 0;
    const outcome = await pool.run({ id: 'trial_000', index: 0, seed: 1, values, epochs: 400 }, {
      epoch: () => void (++epochs === 2 && pool.stop()),
    });
    assert.equal(outcome.status, 'running', outcome.message);
    assert.ok(epochs <= 3, `stopped after ${epochs} epochs, not at the boundary after the stop`);
  } finally {
    await pool.close();
  }
});

// A queue worker's Ctrl-C can come while it is joining a search, before the pool exists: the pool
// made then must start stopped, or its first trial trains to the end while the worker waits to exit.
test('a pool made for an aborted signal stops its trials at the first epoch boundary', async () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'automm-pool-'));
  const spec = loadSpecText(SPEC);
  const pool = await poolExecutor({ spec, project, backend: 'wasm', threads: 1 }, 1, { signal: AbortSignal.abort() });
  try {
    const values = resolveTrial(spec, planGraph(spec), (_, d) => defaultValue(d)).values;
    let epochs = 0;
    const outcome = await pool.run({ id: 'trial_000', index: 0, seed: 1, values, epochs: 400 }, { epoch: () => void ++epochs });
    assert.equal(outcome.status, 'running', outcome.message);
    assert.ok(epochs <= 1, `stopped after ${epochs} epochs`);
  } finally {
    await pool.close();
  }
});

test('a worker that cannot start is dropped: its trial goes to one that is up, one note says so; none up fails the pool', async () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'automm-pool-'));
  const spec = loadSpecText(SPEC.replace('epochs: 400', 'epochs: 2'));
  const values = resolveTrial(spec, planGraph(spec), (_, d) => defaultValue(d)).values;
  // The test hook, all here: each worker gets a structured clone of the setup, made when it is
  // spawned, and cloning calls getters. So the first worker's spec reads random data and every later
  // one's a missing table, which that worker fails to prepare: only workers after the first fail.
  let clones = 0;
  const failing = { ...spec };
  Object.defineProperty(failing, 'data', { enumerable: true, get: () => (++clones === 1 ? spec.data : { ...spec.data, source: path.join(project, 'missing.csv') }) });
  const notes: string[] = [];
  const pool = await poolExecutor({ spec: failing, project, backend: 'wasm', threads: 1 }, 2, { note: (m) => notes.push(m) });
  try {
    const job = (index: number) => ({ id: `trial_00${index}`, index, seed: 1, values, epochs: 2 });
    // The second trial is given the second worker, still starting: it must wait for the first instead of failing.
    const outcomes = await Promise.all([pool.run(job(0), {}), pool.run(job(1), {})]);
    assert.deepEqual(outcomes.map((o) => o.status), ['completed', 'completed'], outcomes.map((o) => o.message).join('; '));
    assert.equal(pool.workers, 1);
    assert.equal(notes.length, 1, notes.join('\n'));
    assert.match(notes[0], /^1 of 2 trial workers could not start \(.*missing\.csv.*\); going on with 1$/);
  } finally {
    await pool.close();
  }
  await assert.rejects(poolExecutor({ spec, project, backend: 'nope', threads: 1 }, 2), /unknown backend "nope"/);
});
