/** The pool of worker threads: a stop reaches a trial in the middle of its epochs. */
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
