/**
 * Crash safety: a search killed with SIGKILL at random moments (across trials, epochs, the refit
 * and the writes of best/) and resumed each time ends with the same leaderboard as one that was
 * never interrupted, and never leaves a truncated file behind.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { CLI, automm, scratch } from './helpers';
import { makeRng } from '../src/util/rng';
import { isLeftoverTemp } from '../src/util/atomic';

const SPEC = `name: crash
seed: 4
data: {source: random, rows: 64}
inputs:
  nums: {type: structured, columns: 6}
heads:
  y: {type: regression}
  c: {type: classification, classes: 3}
search: {max_trials: 5, tuner: greedy, epochs: 3, batch_size: 16}
`;

const comparable = (project: string) =>
  JSON.parse(fs.readFileSync(path.join(project, 'leaderboard.json'), 'utf8')).trials.map((t: Record<string, unknown>) => ({
    id: t.id, status: t.status, values: t.values, score: t.score, bestEpoch: t.bestEpoch,
  }));

/**
 * Starts a search and kills it `ms` after it starts searching (startup, worker threads included,
 * varies with load, so the clock starts at the "searching:" line); resolves to whether it finished
 * by itself.
 */
function runAndKill(args: string[], ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let timer: NodeJS.Timeout | undefined;
    let seen = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (/^searching:/m.test(seen)) timer ??= setTimeout(() => child.kill('SIGKILL'), ms);
    });
    child.on('exit', (code) => (clearTimeout(timer), resolve(code === 0)));
  });
}

/** Every file under `dir`, relative to it. */
const filesUnder = (dir: string) => (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());

/**
 * A kill leaves no truncated JSON where automm reads it. Temporaries (`*.tmp-<pid>-…`) are half
 * written by design: they are renamed into place only when whole, and resume deletes them.
 */
function assertNoTruncatedJson(dir: string): void {
  for (const file of filesUnder(dir)) {
    if (!file.endsWith('.json') || file.split(path.sep).some(isLeftoverTemp)) continue;
    assert.doesNotThrow(() => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), file);
  }
}

/** Kills and resumes one search until it finishes by itself; returns how often it was killed. */
async function killUntilDone(file: string, out: string, delay: () => number): Promise<number> {
  const project = path.join(out, 'crash');
  let kills = 0;
  for (let done = false; !done; ) {
    const resume = fs.existsSync(path.join(project, 'spec.json')) ? ['--resume'] : [];
    done = await runAndKill(['search', file, '--workers', '1', '--out', out, ...resume], delay());
    if (!done && fs.existsSync(project)) assertNoTruncatedJson(project);
    if (!done) kills++;
    assert.ok(kills < 200, 'the search makes progress between kills');
  }
  return kills;
}

test('SIGKILL at 20+ random points, resumed each time, gives the uninterrupted leaderboard', async () => {
  const dir = scratch();
  const file = path.join(dir, 'crash.yaml');
  fs.writeFileSync(file, SPEC);
  const reference = path.join(dir, 'reference');
  assert.equal(automm(['search', file, '--workers', '1', '--out', reference]).code, 0);
  const expected = comparable(path.join(reference, 'crash'));

  const rng = makeRng('kill-points');
  let kills = 0;
  for (let chain = 0; kills < 20; chain++) {
    const out = path.join(dir, `killed-${chain}`);
    kills += await killUntilDone(file, out, () => rng.next() * 900);
    assert.deepEqual(comparable(path.join(out, 'crash')), expected);
    assert.ok(fs.existsSync(path.join(out, 'crash', 'best', 'model.json')));
    assert.deepEqual(filesUnder(path.join(out, 'crash')).filter((f) => f.split(path.sep).some(isLeftoverTemp)), [], 'resume removed the temporaries');
  }
});

test('a resume with a changed spec is refused, naming the changed keys', () => {
  const dir = scratch();
  const file = path.join(dir, 'crash.yaml');
  fs.writeFileSync(file, SPEC.replace('max_trials: 5', 'max_trials: 1'));
  assert.equal(automm(['search', file, '--workers', '1', '--out', dir]).code, 0);
  fs.writeFileSync(file, SPEC.replace('max_trials: 5', 'max_trials: 2').replace('batch_size: 16', 'batch_size: 8'));
  const r = automm(['search', file, '--workers', '1', '--out', dir, '--resume']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /the spec changed since this search started \(search\.batch_size\)/);
});
