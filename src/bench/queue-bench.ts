/**
 * Trials per hour through the queue: the multi-modal search (search-bench.ts's spec) run
 * by a chief on a local redis-server, with one and then two `automm worker` processes of one trial
 * each. Workers are started (and their engines loaded) before the clock starts, as long-lived
 * workers are; the chief's start-up, each worker's pool and data preparation are timed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { redisServerPath, startRedisServer } from '../queue/testing';
import { MULTIMODAL } from './search-bench';

/** The multi-modal search, 6 trials of 3 epochs: trials of a few seconds, queued one at a time. */
const TRIALS = 6;
const SEARCH_EPOCHS = 3;

const CLI = path.join(__dirname, '..', 'cli', 'main.js');

export interface QueueRate {
  backend: string;
  workerProcesses: number;
  trials: number;
  seconds: number;
  trialsPerHour: number;
}

/** One timed search per layout (each takes minutes here): figures drift with the host's load. */
export async function queueTrialsPerHour(backend: string): Promise<QueueRate[]> {
  if (!redisServerPath()) return [];
  const redis = await startRedisServer();
  try {
    const rates: QueueRate[] = [];
    for (const workerProcesses of [1, 2]) {
      const seconds = await timeQueueSearch(redis.url, backend, workerProcesses);
      rates.push({ backend, workerProcesses, trials: TRIALS, seconds, trialsPerHour: (TRIALS * 3600) / seconds });
    }
    return rates;
  } finally {
    await redis.stop();
  }
}

async function timeQueueSearch(url: string, backend: string, workerProcesses: number): Promise<number> {
  const workers = Array.from({ length: workerProcesses }, () => spawn(process.execPath, [CLI, 'worker', '--queue', url, '--concurrency', '1', '--backend', backend], { stdio: ['ignore', 'ignore', 'pipe'] }));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'automm-bench-queue-'));
  try {
    await Promise.all(workers.map((w) => saidOnStderr(w, /waiting for searches/)));
    const started = process.hrtime.bigint();
    const chief = spawn(process.execPath, [CLI, 'search', MULTIMODAL, '--max-trials', String(TRIALS), '--epochs', String(SEARCH_EPOCHS), '--queue', url, '--out', out, '--no-refit'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    chief.stderr!.on('data', (chunk: Buffer) => void (errors += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => chief.on('exit', resolve));
    if (code !== 0) throw new Error(`bench queue search failed: ${errors}`);
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    for (const w of workers) w.kill('SIGKILL');
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function saidOnStderr(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (chunk: Buffer) => void ((seen += chunk.toString()), pattern.test(seen) && resolve()));
    child.once('exit', (code) => reject(new Error(`bench worker exited (${code}): ${seen}`)));
  });
}

if (require.main === module) {
  queueTrialsPerHour(process.argv[2] ?? 'wasm').then((rates) => console.log(JSON.stringify(rates, null, 2)), (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
