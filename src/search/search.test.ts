/** The trial loop in-process: no leaked tensors, failure isolation, oracles' contracts. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../engine/backend';
import { registerCustomLayers } from '../blocks/registry';
import { loadSpecText } from '../spec/validate';
import { synthesize } from '../data/synth';
import { planGraph } from '../graph/plan';
import { resolveTrial } from '../graph/resolve';
import { defaultValue } from '../spec/space';
import { describeFailure, executeTrial } from './execute';
import { inProcessExecutor } from './executors';
import { runSearch } from './run';
import type { Executor } from './types';
import { greedyOracle } from './oracles/greedy';
import { asProposal } from './oracles/oracle';
import { randomOracle } from './oracles/random';
import { makeRng } from '../util/rng';
import { valuesKey } from './hp';

const SPEC = (search: string) => `name: t
data: {source: random, rows: 48}
inputs:
  photo: {type: image, shape: [8, 8, 3]}
  nums: {type: structured, columns: 4}
heads:
  y: {type: regression}
  c: {type: classification, classes: 3}
search: {${search}}
`;

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'automm-search-'));

test('a trial leaves no tensor behind', async () => {
  await initEngine('wasm');
  registerCustomLayers();
  const spec = loadSpecText(SPEC('max_trials: 1, epochs: 2, batch_size: 16'));
  const data = synthesize(spec);
  const plan = planGraph(spec);
  const values = resolveTrial(spec, plan, (_, d) => defaultValue(d)).values;
  const ctx = { spec, plan, data, project: tmp() };
  await executeTrial(ctx, { id: 'warm', index: 0, seed: 1, values, epochs: 2 });
  const before = tf.memory().numTensors;
  const outcome = await executeTrial(ctx, { id: 'trial_000', index: 0, seed: 1, values, epochs: 2 });
  assert.equal(outcome.status, 'completed', outcome.message);
  assert.equal(tf.memory().numTensors, before);
});

test('a diverging trial is recorded as failed with its message, and the search goes on', async () => {
  await initEngine('wasm');
  const spec = loadSpecText(SPEC('max_trials: 4, epochs: 3, optimizer: sgd, learning_rate: 10, tuner: random'));
  const project = tmp();
  const board = await runSearch(spec, synthesize(spec), inProcessExecutor(spec, synthesize(spec), project, 'wasm'), { project });
  const failed = board.trials.filter((t) => t.status === 'failed');
  assert.ok(failed.length > 0, 'learning rate 10 with SGD diverges');
  for (const t of failed) assert.match(t.message ?? '', /loss became (NaN|Infinity|-Infinity) at epoch \d/);
  const onDisk = JSON.parse(fs.readFileSync(path.join(project, 'trials', failed[0].id, 'trial.json'), 'utf8'));
  assert.equal(onDisk.status, 'failed');
});

test('an engine abort reads as out of memory, with what to change, not as the abort text', () => {
  const message = describeFailure(new Error('Aborted(). Build with -sASSERTIONS for more info.'));
  assert.match(message, /^out of memory: the \w+ engine stopped \(it addresses at most 4 GB\); try a smaller batch_size/);
  assert.equal(describeFailure(new Error('shapes do not match')), 'shapes do not match');
});

test('three failures in a row stop the search, quoting the last error', async () => {
  const spec = loadSpecText(SPEC('max_trials: 8, tuner: random'));
  let calls = 0;
  const failing: Executor = {
    workers: 1,
    backend: 'test',
    run: async () => ({ status: 'failed', history: [], message: `boom ${++calls}`, durationMs: 1 }),
    stop: () => undefined,
    close: async () => undefined,
  };
  const board = await runSearch(spec, synthesize(spec), failing, { project: tmp() });
  assert.equal(calls, 3);
  assert.equal(board.status, 'stopped');
  assert.equal(board.stopReason, '3 trials failed in a row; the last error: boom 3');
});

function proposeAll(oracle: typeof greedyOracle, n: number) {
  const spec = loadSpecText(SPEC('max_trials: 5'));
  const plan = planGraph(spec);
  const seen = new Set<string>();
  return Array.from({ length: n }, (_, index) => {
    const { values } = asProposal(oracle.propose({ index, attempt: 0, rng: makeRng(`s${index}`), history: [], objective: spec.search.objective, resolve: (p) => resolveTrial(spec, plan, p), epochs: 3, maxTrials: n }));
    seen.add(valuesKey(values));
    return values;
  });
}

test('greedy starts from the default configuration and is deterministic', () => {
  const spec = loadSpecText(SPEC('max_trials: 5'));
  const defaults = resolveTrial(spec, planGraph(spec), (_, d) => defaultValue(d)).values;
  const a = proposeAll(greedyOracle, 4);
  assert.deepEqual(a[0], defaults);
  assert.deepEqual(proposeAll(greedyOracle, 4), a);
  assert.notDeepEqual(a[1], a[0]);
});

test('random proposes values inside each space, the same ones for the same seed', () => {
  const spec = loadSpecText(SPEC('max_trials: 5'));
  const plan = planGraph(spec);
  const a = proposeAll(randomOracle, 6);
  assert.deepEqual(proposeAll(randomOracle, 6), a);
  for (const values of a) {
    const { space } = resolveTrial(spec, plan, (name) => values[name]);
    for (const [name, def] of Object.entries(space)) {
      if (def.kind === 'choice') assert.ok(def.values.includes(values[name]), `${name}=${values[name]}`);
    }
  }
});

test('a time limit of a few seconds is honoured: the search ends within about one epoch of it', async () => {
  await initEngine('wasm');
  const spec = loadSpecText(SPEC('max_trials: 50, epochs: 40, time_limit: 3s, tuner: random').replace('rows: 48', 'rows: 256'));
  const project = tmp();
  const started = Date.now();
  const board = await runSearch(spec, synthesize(spec), inProcessExecutor(spec, synthesize(spec), project, 'wasm'), { project });
  const seconds = (Date.now() - started) / 1000;
  const epochSeconds = Math.max(...board.trials.flatMap((t) => (t.durationMs ?? 0) / 1000 / Math.max(1, t.epochs)));
  assert.ok(seconds < 3 + epochSeconds + 1.5, `took ${seconds.toFixed(1)}s for a 3s limit (longest epoch ${epochSeconds.toFixed(2)}s)`);
  assert.ok(board.trials.length < 50);
  assert.match(board.stopReason ?? '', /time limit of 3s/);
  const stopped = board.trials.filter((t) => t.status === 'stopped');
  assert.ok(stopped.length >= 1, 'the trial in flight is stopped at an epoch boundary');
  assert.ok(stopped.every((t) => /time limit/.test(t.message ?? '')));
});

test('a model over max_model_size is skipped before training, with its size', async () => {
  await initEngine('wasm');
  const spec = loadSpecText(SPEC('max_trials: 2, epochs: 1, max_model_size: 100, refit: false'));
  const project = tmp();
  const board = await runSearch(spec, synthesize(spec), inProcessExecutor(spec, synthesize(spec), project, 'wasm'), { project });
  assert.ok(board.trials.every((t) => t.status === 'skipped' && /^[\d,]+ parameters > search\.max_model_size 100$/.test(t.message ?? '')), JSON.stringify(board.trials));
  assert.ok(board.trials.every((t) => (t.params ?? 0) > 100));
  assert.equal(board.best, undefined);
});

test('refit retrains the best configuration on training + validation rows into best/ unless it scores worse on held-back rows', async () => {
  await initEngine('wasm');
  const spec = loadSpecText(SPEC('max_trials: 2, epochs: 2'));
  const project = tmp();
  const board = await runSearch(spec, synthesize(spec), inProcessExecutor(spec, synthesize(spec), project, 'wasm'), { project });
  const best = JSON.parse(fs.readFileSync(path.join(project, 'best', 'trial.json'), 'utf8'));
  assert.equal(best.id, board.best);
  assert.equal(best.refit.status, 'completed');
  assert.equal(best.refit.epochs, best.bestEpoch + 1);
  const { heldBack, kept } = best.refit;
  assert.equal(kept, heldBack.refit <= heldBack.trial, JSON.stringify(best.refit));
  const source = kept ? 'refit' : board.best!;
  assert.deepEqual(fs.readFileSync(path.join(project, 'best', 'weights.bin')), fs.readFileSync(path.join(project, 'trials', source, 'model', 'weights.bin')));
});
