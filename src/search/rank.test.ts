import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { bestTrial, rankTrials } from './rank';
import type { Trial, TrialStatus } from './trial';

const trial = (index: number, status: TrialStatus, score?: number): Trial => ({ id: `t${index}`, index, values: {}, space: {}, seed: 0, epochs: 1, status, score, history: [] });

const TRIALS = [
  trial(0, 'completed', 0.5),
  trial(1, 'failed'),
  trial(2, 'stopped', 0.2),
  trial(3, 'completed', 0.5),
  trial(4, 'completed', NaN),
  trial(5, 'running'),
  trial(6, 'skipped'),
  trial(7, 'completed', 0.9),
  trial(8, 'completed', Infinity),
];

test('rankTrials: finished trials with finite scores, best first, ties by trial order', () => {
  assert.deepEqual(rankTrials(TRIALS, { metric: 'val_loss', direction: 'min' }).map((t) => t.index), [2, 0, 3, 7]);
  assert.deepEqual(rankTrials(TRIALS, { metric: 'val_acc', direction: 'max' }).map((t) => t.index), [7, 0, 3, 2]);
});

test('rankTrials does not reorder its argument; bestTrial is the first ranked', () => {
  const before = TRIALS.map((t) => t.index);
  rankTrials(TRIALS, { metric: 'val_loss', direction: 'min' });
  assert.deepEqual(TRIALS.map((t) => t.index), before);
  assert.equal(bestTrial(TRIALS, { metric: 'val_acc', direction: 'max' })?.index, 7);
  assert.equal(bestTrial([trial(0, 'failed'), trial(1, 'completed', NaN)], { metric: 'val_loss', direction: 'min' }), undefined);
});
