/**
 * One writer per project, with real processes: a second search, an --overwrite or an export while a
 * search runs fails at once and changes nothing; after a SIGKILL the stale lock is detected, export
 * --best exports the best completed trial, and --resume finishes the search.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { automm, scratch, CLI } from './helpers';

const SPEC = `name: long
seed: 3
data: {source: random, rows: 32}
inputs: {n: {type: structured, columns: 3}}
blocks: {d: {type: dense, input: n, num_layers: 1, num_units: {int: [4, 400]}, use_batchnorm: false, dropout: 0}}
heads: {y: {type: regression, input: d, dropout: 0}}
search: {max_trials: 500, tuner: random, epochs: 2, refit: false, workers: 1}
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, ready: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Runs the CLI as a child process and resolves with its exit code and output. */
function start(args: string[], cwd: string) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => (stdout += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr, stdout })));
  return { child, done };
}

const completed = (project: string) => {
  try {
    return (JSON.parse(fs.readFileSync(path.join(project, 'leaderboard.json'), 'utf8')).trials as Array<{ status: string }>).filter((t) => t.status === 'completed').length;
  } catch {
    return 0;
  }
};

test('a running search holds its project; a killed one leaves a stale lock that the next writer replaces', async () => {
  const dir = scratch();
  fs.writeFileSync(path.join(dir, 'long.yaml'), SPEC);
  const project = path.join(dir, 'runs', 'long');
  const lock = path.join(project, '.automm-lock');
  const first = start(['search', 'long.yaml', '--out', 'runs'], dir);
  try {
    await waitFor('a completed trial', () => completed(project) >= 1);
    assert.ok(fs.existsSync(lock), 'the running search holds the lock');
    const owner = JSON.parse(fs.readFileSync(lock, 'utf8'));
    assert.equal(owner.pid, first.child.pid);

    const board = fs.readFileSync(path.join(project, 'spec.json'), 'utf8');
    for (const args of [['search', 'long.yaml', '--out', 'runs', '--resume'], ['search', 'long.yaml', '--out', 'runs', '--overwrite'], ['export', '--best', '--project', 'runs/long']]) {
      const r = automm(args, dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`in use by automm search \\(pid ${first.child.pid} on `), args.join(' '));
    }
    assert.equal(fs.readFileSync(path.join(project, 'spec.json'), 'utf8'), board, 'the refused writers changed nothing');
    assert.ok(!fs.existsSync(path.join(project, 'export')));
  } finally {
    first.child.kill('SIGKILL');
  }
  const killed = await first.done;
  assert.equal(killed.signal, 'SIGKILL');
  assert.ok(fs.existsSync(lock), 'SIGKILL leaves the lock behind');
  assert.ok(!fs.existsSync(path.join(project, 'best')), 'the killed search never saved best/');

  const exported = automm(['export', '--best', '--project', 'runs/long'], dir);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stderr, /removed a stale lock .*that process is no longer running/);
  assert.match(exported.stderr, /the search did not finish \(no best\/\), so this is its best completed trial, trial_\d+/);
  const predicted = automm(['predict', '--model', 'runs/long/export', '--data', 'random', '--rows', '2'], dir);
  assert.equal(predicted.code, 0, predicted.stderr);

  const done = completed(project);
  const resumed = automm(['search', 'long.yaml', '--out', 'runs', '--resume', '--max-trials', String(done + 1)], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.ok(fs.existsSync(path.join(project, 'best', 'model.json')));
  assert.ok(!fs.existsSync(lock), 'the lock is released at the end');
});

test('two searches started at once into one new project: exactly one runs', async () => {
  const dir = scratch();
  fs.writeFileSync(path.join(dir, 'race.yaml'), SPEC.replace('name: long', 'name: race').replace('max_trials: 500', 'max_trials: 2'));
  const [a, b] = await Promise.all([start(['search', 'race.yaml', '--out', 'runs'], dir).done, start(['search', 'race.yaml', '--out', 'runs'], dir).done]);
  const codes = [a.code, b.code].sort();
  assert.deepEqual(codes, [0, 2], `${a.stderr}\n---\n${b.stderr}`);
  const loser = a.code === 2 ? a : b;
  assert.match(loser.stderr, /in use by automm search|already holds a search/);
  const board = JSON.parse(fs.readFileSync(path.join(dir, 'runs', 'race', 'leaderboard.json'), 'utf8'));
  assert.equal(board.status, 'finished');
  assert.equal(board.trials.length, 2);
});
