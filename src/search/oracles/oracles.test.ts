/**
 * Hyperband and Bayesian optimisation on a hand-made space (no TensorFlow): valid values, same seed ->
 * same trials, and both beat random search on a synthetic objective whose optimum is known.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { HyperParameters, Picker, valuesKey } from '../hp';
import { proposeNew } from '../propose';
import type { Trial } from '../trial';
import { HpDef, HpValue, boolean, choice, fixed, floatRange, intRange } from '../../spec/space';
import { deriveSeed, makeRng, Rng } from '../../util/rng';
import { HISTORY_LAG, Oracle, Resolved, asProposal, fits } from './oracle';
import { bestTrial } from '../rank';
import { bayesianOracle } from './bayesian';
import { hyperbandOracle, planHyperband } from './hyperband';
import { randomOracle } from './random';
import { ORACLES } from './registry';

/** A small model space with a conditional branch: conv/* exists only when block is conv. */
function resolve(picker: Picker): Resolved {
  const hp = new HyperParameters(picker);
  hp.get('learning_rate', floatRange(1e-4, 1e-1, true));
  hp.get('units', intRange(16, 256, 16));
  if (hp.get('block', choice('mlp', 'conv')) === 'conv') {
    hp.get('conv/filters', choice(16, 32, 64, 128));
    hp.get('conv/kernel', intRange(1, 7));
  } else hp.get('mlp/dropout', floatRange(0, 0.5));
  hp.get('batch_norm', boolean());
  hp.get('optimizer', choice('sgd', 'adam', 'rmsprop'));
  hp.get('activation', fixed('relu'));
  return { values: hp.values, space: hp.space };
}

/**
 * The known answer: learning_rate 3e-3, 160 units, a conv block with 64 filters of width 5, batch
 * norm, adam: f = 0 there. A quadratic bowl in the coordinates a tuner would use, plus a penalty per
 * wrong label.
 */
function loss(v: Record<string, HpValue>): number {
  const unit = (x: number, lo: number, hi: number) => (x - lo) / (hi - lo);
  let f = 2 * (unit(Math.log(v.learning_rate as number), Math.log(1e-4), Math.log(1e-1)) - unit(Math.log(3e-3), Math.log(1e-4), Math.log(1e-1))) ** 2;
  f += 2 * (unit(v.units as number, 16, 256) - unit(160, 16, 256)) ** 2;
  if (v.block === 'conv') {
    f += 2 * (unit([16, 32, 64, 128].indexOf(v['conv/filters'] as number), 0, 3) - 2 / 3) ** 2;
    f += 2 * (unit(v['conv/kernel'] as number, 1, 7) - unit(5, 1, 7)) ** 2;
  } else f += 0.3 + 2 * ((v['mlp/dropout'] as number) - 0.2) ** 2;
  if (v.batch_norm !== true) f += 0.2;
  if (v.optimizer !== 'adam') f += 0.3;
  return f;
}

/** A learning curve: fewer epochs score worse and noisier, so a short trial is a rough preview. */
const observe = (v: Record<string, HpValue>, epochs: number, maxEpochs: number, rng: Rng) =>
  loss(v) + 0.3 * (1 - epochs / maxEpochs) + 0.05 * Math.sqrt(maxEpochs / epochs) * rng.normal();

interface Run {
  oracle: Oracle;
  seed: number | string;
  maxTrials: number;
  epochs: number;
  direction?: 'min' | 'max';
}

/** The search loop without training: every trial completes with an observed score. */
function simulate({ oracle, seed, maxTrials, epochs, direction = 'min' }: Run): Trial[] {
  const trials: Trial[] = [];
  const seen = new Set<string>();
  const sign = direction === 'min' ? 1 : -1;
  for (let index = 0; index < maxTrials; index++) {
    // The search loop's own proposing (lagged history, duplicates retried), minus the training.
    const p = proposeNew({ oracle, seed, index, trials, objective: { metric: 'val_loss', direction }, resolve, epochs, maxTrials }, seen);
    if (!p) break;
    const score = sign * observe(p.values, p.epochs, epochs, makeRng(deriveSeed(seed, 'noise', index)));
    const space = resolve((name) => p.values[name]).space;
    trials.push({ id: `t${index}`, index, values: p.values, space, seed: 0, epochs: p.epochs, status: 'completed', score, history: [] });
  }
  return trials;
}

for (const [name, oracle] of [['hyperband', hyperbandOracle], ['bayesian', bayesianOracle]] as const) {
  test(`${name} is registered, proposes values inside each space, the same ones for the same seed`, () => {
    assert.equal(ORACLES[name], oracle);
    const a = simulate({ oracle, seed: 7, maxTrials: 24, epochs: 9 });
    assert.equal(a.length, 24);
    for (const t of a) {
      const { space } = resolve((n) => t.values[n]);
      assert.deepEqual(Object.keys(t.values).sort(), Object.keys(space).sort());
      for (const [n, def] of Object.entries(space)) assert.ok(fits(def as HpDef, t.values[n]), `${n}=${t.values[n]}`);
      if (t.values.block === 'conv') assert.equal(typeof t.values['conv/kernel'], 'number');
      assert.ok(Number.isInteger(t.epochs) && t.epochs >= 1 && t.epochs <= 9);
    }
    assert.deepEqual(simulate({ oracle, seed: 7, maxTrials: 24, epochs: 9 }), a);
    assert.notDeepEqual(simulate({ oracle, seed: 8, maxTrials: 24, epochs: 9 }), a);
  });

  test(`${name} reads the objective's direction: maximising -loss makes the same trials`, () => {
    const values = (direction: 'min' | 'max') => simulate({ oracle, seed: 3, maxTrials: 16, epochs: 9, direction }).map((t) => [t.values, t.epochs]);
    assert.deepEqual(values('max'), values('min'));
  });
}

test('hyperband plans max_trials trials in brackets of successive halving, promotions after the lag', () => {
  for (const [maxTrials, epochs] of [[6, 3], [20, 10], [30, 9], [100, 27], [5, 1], [2, 30], [1, 9]]) {
    const plan = planHyperband(maxTrials, epochs);
    assert.equal(plan.length, maxTrials);
    assert.equal(plan[plan.length - 1].epochs, epochs, 'the search ends on full-length trials');
    for (const [i, slot] of plan.entries()) {
      assert.ok(slot.from.every((j) => j <= i - HISTORY_LAG), `trial ${i} ranks a trial it cannot see yet`);
      assert.ok(slot.from.every((j) => plan[j].epochs < slot.epochs) && slot.rank < Math.max(1, slot.from.length));
    }
  }
  // max_epochs 3: bracket s = 1 (3 trials of 1 epoch, the best again for 3), then s = 0 (2 of 3 epochs).
  assert.deepEqual(planHyperband(6, 3), [
    { epochs: 1, from: [], rank: 0 }, { epochs: 1, from: [], rank: 0 }, { epochs: 1, from: [], rank: 0 },
    { epochs: 3, from: [], rank: 0 }, { epochs: 3, from: [0, 1, 2], rank: 0 }, { epochs: 3, from: [], rank: 0 },
  ]);
});

test('hyperband promotes the best of a round with more epochs', () => {
  const trials = simulate({ oracle: hyperbandOracle, seed: 5, maxTrials: 6, epochs: 3 });
  const best = bestTrial(trials.slice(0, 3), { metric: 'val_loss', direction: 'min' })!;
  assert.deepEqual([trials[4].values, trials[4].epochs], [best.values, 3]);
});

test('hyperband with a round not visible yet starts a new configuration, the same one each time', () => {
  const trials = simulate({ oracle: hyperbandOracle, seed: 5, maxTrials: 6, epochs: 3 });
  const propose = () => asProposal(hyperbandOracle.propose({ index: 4, attempt: 0, rng: makeRng(9), history: trials.slice(0, 2), objective: { metric: 'val_loss', direction: 'min' }, resolve, epochs: 3, maxTrials: 6 }));
  const p = propose();
  assert.equal(p.epochs, 3);
  assert.ok(!trials.slice(0, 3).some((t) => valuesKey(t.values) === valuesKey(p.values)));
  assert.deepEqual(propose(), p);
});

test('bayesian learns nothing from failed trials or non-finite scores: it draws at random', () => {
  const history = simulate({ oracle: randomOracle, seed: 2, maxTrials: 8, epochs: 9 }).map((t, i): Trial => (i % 2 ? { ...t, status: 'failed', score: undefined } : { ...t, score: NaN }));
  const ctx = () => ({ index: 10, attempt: 0, rng: makeRng(4), history, objective: { metric: 'val_loss', direction: 'min' as const }, resolve, epochs: 9, maxTrials: 20 });
  assert.deepEqual(bayesianOracle.propose(ctx()), randomOracle.propose(ctx()));
});

/** What a search hands back is its best-scoring trial; judge that configuration by its true loss. */
const found = (run: Run) => loss(bestTrial(simulate(run), { metric: 'val_loss', direction: 'min' })!.values);
const meanFound = (seeds: number, run: Omit<Run, 'seed'>) => Array.from({ length: seeds }, (_, i) => found({ ...run, seed: i + 1 })).reduce((a, b) => a + b, 0) / seeds;

test('hyperband beats random search with the same epochs (mean over 100 seeds)', () => {
  const epochs = 9;
  // Hyperband spends epochs, not trials: random search gets as many full-length trials as they buy.
  const budget = planHyperband(30, epochs).reduce((s, slot) => s + slot.epochs, 0);
  const hyperband = meanFound(100, { oracle: hyperbandOracle, maxTrials: 30, epochs });
  const random = meanFound(100, { oracle: randomOracle, maxTrials: Math.ceil(budget / epochs), epochs });
  console.log(`mean true loss of the best trial, ${budget} epochs: hyperband ${hyperband.toFixed(3)}, random ${random.toFixed(3)}`);
  assert.ok(hyperband < random, `hyperband ${hyperband} >= random ${random}`);
});

test('bayesian beats random search with the same trials (mean over 20 seeds)', () => {
  const bayesian = meanFound(20, { oracle: bayesianOracle, maxTrials: 30, epochs: 9 });
  const random = meanFound(20, { oracle: randomOracle, maxTrials: 30, epochs: 9 });
  console.log(`mean true loss of the best trial, 30 trials: bayesian ${bayesian.toFixed(3)}, random ${random.toFixed(3)}`);
  assert.ok(bayesian < random, `bayesian ${bayesian} >= random ${random}`);
});
