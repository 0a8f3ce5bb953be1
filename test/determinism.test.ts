/** The same seed gives the same trials and the same scores, with one worker or two. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { automm, scratch } from './helpers';

/** Greedy, so later trials depend on earlier results: the case where worker timing could leak in. */
const SPEC = `name: det
data: {source: random, rows: 64}
inputs:
  words: {type: text, max_tokens: 200, sequence_length: 12}
  nums: {type: structured, columns: 6}
heads:
  score: {type: regression}
  kind: {type: classification, classes: 3}
search: {max_trials: 5, tuner: greedy, epochs: 2, batch_size: 16}
`;

function run(workers: number, seed = 5): Array<{ values: object; score: number; status: string }> {
  const out = scratch();
  const file = path.join(out, 'det.yaml');
  fs.writeFileSync(file, SPEC);
  const r = automm(['search', file, '--workers', String(workers), '--seed', String(seed), '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const board = JSON.parse(fs.readFileSync(path.join(out, 'det', 'leaderboard.json'), 'utf8'));
  return board.trials.map((t: { values: object; score: number; status: string }) => ({ values: t.values, score: t.score, status: t.status }));
}

test('same seed, same trials and scores; 2 workers match 1', () => {
  const one = run(1);
  assert.deepEqual(run(1), one);
  assert.deepEqual(run(2), one);
  assert.equal(new Set(one.map((t) => JSON.stringify(t.values))).size, one.length, 'no duplicate trials');
});

test('another seed gives other trials', () => {
  assert.notDeepEqual(run(1, 6).map((t) => t.values), run(1, 5).map((t) => t.values));
});
