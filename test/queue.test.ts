/**
 * A distributed search on a real redis-server (free loopback port, persistence off): one chief and
 * two worker processes, through every fault the queue promises to survive, ending with the
 * leaderboard of a local search with the same seed. Everything started here is stopped by pid.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { CLI, automm, scratch } from './helpers';
import { RedisServer, freePort, redisServerPath, startRedisServer } from '../src/queue/testing';
import { publishSearch } from '../src/queue/registry';
import { loadSpec } from '../src/spec/validate';

const SPEC = `name: dist
seed: 11
data: {source: random, rows: 320}
inputs:
  nums: {type: structured, columns: 6}
heads:
  y: {type: regression}
  c: {type: classification, classes: 3}
search: {max_trials: 6, tuner: greedy, epochs: 3, batch_size: 16}
`;

interface Proc {
  child: ChildProcess;
  text(): string;
  /** Resolves with the first match of `pattern` in the output from `from` on. */
  waitFor(pattern: RegExp, from?: number, ms?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

const started: ChildProcess[] = [];

function start(args: string[]): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => ((out += chunk.toString()), waiters.forEach((w) => w()));
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (waiters.forEach((w) => w()), resolve(code))));
  const waitFor = (pattern: RegExp, from = 0, ms = 60_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => (waiters.delete(check), reject(new Error(`no ${pattern} within ${ms} ms in:\n${out}`))), ms);
      const check = () => {
        const m = out.slice(from).match(pattern);
        if (m) (clearTimeout(timer), waiters.delete(check), resolve(m));
        else if (child.exitCode !== null) (clearTimeout(timer), waiters.delete(check), reject(new Error(`exited (${child.exitCode}) before ${pattern}:\n${out}`)));
      };
      waiters.add(check);
      check();
    });
  return { child, text: () => out, waitFor, exited };
}

const comparable = (project: string) =>
  JSON.parse(fs.readFileSync(path.join(project, 'leaderboard.json'), 'utf8')).trials.map((t: Record<string, unknown>) => ({
    id: t.id, status: t.status, values: t.values, score: t.score, bestEpoch: t.bestEpoch,
  }));

const killPid = (pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL') => {
  try {
    if (pid) process.kill(pid, signal);
  } catch {
    // Already gone.
  }
};

test('chief + 2 workers on redis: unreachable redis, refusals, a SIGKILLed worker, a redis restart, a SIGKILLed chief resumed; same leaderboard as local', { skip: !redisServerPath() && !process.env.CI && 'redis-server is not installed' }, async () => {
  const dir = scratch();
  const file = path.join(dir, 'dist.yaml');
  fs.writeFileSync(file, SPEC);
  const local = start(['search', file, '--workers', '1', '--out', path.join(dir, 'local')]);
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let redis: RedisServer | undefined;
  try {
    // Workers started before their Redis say so and retry with backoff until it is there.
    const workers = [start(['worker', '--queue', url, '--concurrency', '1']), start(['worker', '--queue', url, '--concurrency', '1'])];
    for (const w of workers) await w.waitFor(/cannot reach redis at redis:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); retrying in/);
    redis = await startRedisServer(port);
    for (const w of workers) await w.waitFor(/waiting for searches/);

    await refusalsAreSaid(url, file, dir, workers[0]);

    const out = path.join(dir, 'dist');
    let chief = start(['search', file, '--queue', url, '--out', out]);
    // A worker SIGKILLed in the middle of a trial: the trial goes to the other worker, trained once.
    const { trialNo, pid } = await trialStarted(url, 'dist');
    const victim = workers.find((w) => w.child.pid === Number(pid))!;
    killPid(victim.child.pid);
    const spare = start(['worker', '--queue', url, '--concurrency', '1']);
    const retried = await chief.waitFor(new RegExp(`trial ${trialNo}/6 trial_\\d+ on [^\\s]+:(\\d+) completed`));
    assert.notEqual(retried[1], pid, 'the killed worker\'s trial completed elsewhere');

    // Redis restarted empty: chief and workers reconnect, the chief puts its trials back.
    const mark = chief.text().length;
    await redis.restart();
    await chief.waitFor(/connected to redis/, mark);
    await chief.waitFor(/trial \d\/6 trial_\d+ on [^\s]+ completed/, mark);

    // The chief SIGKILLed: a resumed chief reattaches to the queue and finishes the search.
    killPid(chief.child.pid);
    await chief.exited;
    chief = start(['search', file, '--queue', url, '--out', out, '--resume']);
    assert.equal(await chief.exited, 0, chief.text());
    assert.equal(await local.exited, 0, local.text());

    const board = comparable(path.join(out, 'dist'));
    assert.deepEqual(board, comparable(path.join(dir, 'local', 'dist')));
    assert.equal(new Set(board.map((t: { id: string }) => t.id)).size, 6, 'six trials, none counted twice');
    const killedTrial = JSON.parse(fs.readFileSync(path.join(out, 'dist', 'trials', `trial_${String(Number(trialNo) - 1).padStart(3, '0')}`, 'trial.json'), 'utf8'));
    assert.ok(killedTrial.worker && !killedTrial.worker.endsWith(`:${pid}`), `trained by a live worker, not ${pid}`);
    assert.ok(fs.existsSync(path.join(out, 'dist', 'best', 'model.json')));

    // Workers stop cleanly on SIGTERM.
    for (const w of [...workers, spare].filter((w) => w !== victim)) {
      killPid(w.child.pid, 'SIGTERM');
      assert.equal(await w.exited, 0, w.text());
    }
  } finally {
    for (const child of started) killPid(child.pid);
    await redis?.stop();
  }
});

test('Ctrl-C on the chief stops as a local search does and --resume --queue finishes it; a Ctrl-C\'d worker exits cleanly', { skip: !redisServerPath() && !process.env.CI && 'redis-server is not installed' }, async () => {
  const dir = scratch();
  const file = path.join(dir, 'stop.yaml');
  // Trials of many short epochs: a worker's Ctrl-C must land inside a trial, not after it ended
  // (3 epochs of 320 rows could finish before the signal arrived).
  fs.writeFileSync(file, SPEC.replace('name: dist', 'name: stop').replace('max_trials: 6', 'max_trials: 3').replace('rows: 320', 'rows: 64').replace('epochs: 3', 'epochs: 200'));
  const redis = await startRedisServer();
  try {
    const first = start(['worker', '--queue', redis.url, '--concurrency', '2']);
    let chief = start(['search', file, '--queue', redis.url, '--out', dir]);
    await trialStarted(redis.url, 'stop');
    killPid(chief.child.pid, 'SIGINT');
    // As locally: 0 when some trial completed before the stop, 1 when none did.
    const code = await chief.exited;
    assert.equal(code, /no trial completed/.test(chief.text()) ? 1 : 0, chief.text());
    const stopped = JSON.parse(fs.readFileSync(path.join(dir, 'stop', 'leaderboard.json'), 'utf8'));
    assert.equal(stopped.status, 'stopped');
    assert.match(stopped.stopReason, /interrupted/);

    chief = start(['search', file, '--queue', redis.url, '--out', dir, '--resume']);
    // The worker's own Ctrl-C in the middle of a trial (asked of Redis: the chief's display can lag a
    // short trial): its trial goes back to the queue and a second worker trains it; the first exits cleanly.
    const { trialNo } = await trialStarted(redis.url, 'stop', 1);
    killPid(first.child.pid, 'SIGINT');
    const second = start(['worker', '--queue', redis.url, '--concurrency', '1']);
    await chief.waitFor(new RegExp(`trial ${trialNo}/3 trial_\\d+ on [^\\s]+:${second.child.pid} completed`));
    assert.equal(await first.exited, 0, first.text());
    assert.equal(await chief.exited, 0, chief.text());
    const board = JSON.parse(fs.readFileSync(path.join(dir, 'stop', 'leaderboard.json'), 'utf8'));
    assert.equal(board.status, 'finished');
    assert.deepEqual(board.trials.map((t: { status: string }) => t.status), ['completed', 'completed', 'completed']);

    // A time limit ends a distributed search as it ends a local one (trials cut at an epoch boundary).
    fs.writeFileSync(file, SPEC.replace('name: dist', 'name: limit').replace('max_trials: 6', 'max_trials: 50'));
    const limited = start(['search', file, '--queue', redis.url, '--out', dir, '--time-limit', '4s', '--no-refit']);
    // 0 when a trial completed inside the limit, 1 when none did (a loaded machine may finish none).
    const limitedCode = await limited.exited;
    assert.equal(limitedCode, /no trial completed/.test(limited.text()) ? 1 : 0, limited.text());
    const cut = JSON.parse(fs.readFileSync(path.join(dir, 'limit', 'leaderboard.json'), 'utf8'));
    assert.equal(cut.stopReason, 'the time limit of 4s was reached');
    assert.ok(cut.trials.length < 50 && cut.trials.every((t: { status: string }) => t.status === 'completed' || t.status === 'stopped'), JSON.stringify(cut.trials));
    killPid(second.child.pid, 'SIGTERM');
    assert.equal(await second.exited, 0, second.text());
  } finally {
    for (const child of started) killPid(child.pid);
    await redis.stop();
  }
});

/**
 * The first trial a worker has begun (its job active, the worker's first progress sent, and at
 * least `epochs` epochs reported): its number and the worker's pid. Asked of Redis directly, since
 * a trial of a few tenths of a second may be over before the chief's display shows it.
 */
async function trialStarted(url: string, queueName: string, epochs = 0): Promise<{ trialNo: string; pid: string }> {
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection, prefix: 'automm' });
  try {
    for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 20))) {
      for (const job of await queue.getActive()) {
        const progress = job.progress as { worker?: string; history?: unknown[] } | undefined;
        const worker = progress?.worker;
        if (worker && (progress.history ?? []).filter(Boolean).length >= epochs) return { trialNo: String(job.data.trial.index + 1), pid: worker.split(':').pop()! };
      }
    }
    throw new Error(`no trial of "${queueName}" started within 60 s`);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** A search from another automm version, and one whose data prepares differently, are refused. */
async function refusalsAreSaid(url: string, file: string, dir: string, worker: Proc): Promise<void> {
  const client = new Redis(url);
  const spec = loadSpec(file);
  const base = { searchId: 'x', session: 'fake', spec, project: dir, dataHash: 'nope', chief: 'elsewhere:1', stopping: false, startedAt: 0 };
  try {
    await publishSearch(client, { ...base, queue: 'other-version', version: '0.0.0-other', session: 'fake-1' });
    await publishSearch(client, { ...base, queue: 'other-data', version: JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version, session: 'fake-2' });
    await worker.waitFor(/refusing search "other-version": its chief \(elsewhere:1\) runs automm 0\.0\.0-other and this worker \d/);
    await worker.waitFor(/refusing search "other-data": its data prepares differently here than on the chief/);
    await client.del('automm:search:other-version', 'automm:search:other-data');
  } finally {
    client.disconnect();
  }
}

test('a --queue URL that is not redis:// is a usage error', () => {
  const r = automm(['worker', '--queue', 'http://localhost:6379']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--queue expects a redis:\/\/ or rediss:\/\/ URL, got "http:\/\/\.\.\."/);
});
