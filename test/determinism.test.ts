/** The same seed gives the same trials and the same scores, with one worker or two. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { automm, scratch, spec } from './helpers';

function run(workers: number, seed = 5): Array<{ values: object; score: number; status: string }> {
  const out = scratch();
  const r = automm(['search', spec('posts-multitask.yaml'), '--max-trials', '4', '--epochs', '1', '--workers', String(workers), '--seed', String(seed), '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const board = JSON.parse(fs.readFileSync(path.join(out, 'posts', 'leaderboard.json'), 'utf8'));
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
