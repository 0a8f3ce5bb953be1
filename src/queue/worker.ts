/**
 * `automm worker`: takes trials from the queue of a search on Redis and trains them in its own pool
 * of worker threads (the local pool executor), writing models into the search's project directory,
 * which must be on a filesystem shared at the same path. It serves one search at a time, the oldest
 * it may serve, and moves on when that search's chief is gone and its queue has nothing left for it.
 */
import * as fs from 'node:fs';
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { prepareData } from '../data/prepare';
import type { PreparedData } from '../data/source';
import { poolExecutor } from '../search/executors';
import { defaultWorkers, trialWorkers } from '../search/workers';
import type { Executor } from '../search/types';
import { packageVersion } from '../util/package-info';
import { KEY_PREFIX, Notify, clockOffset, connect } from './redis';
import { throttledBatches } from '../search/batch-progress';
import {
  HEARTBEAT_MS, QueueJobData, QueueProgress, QueueResult, SearchEntry, fingerprint, listSearches, publishWorker, refusal, thisProcess, withdrawWorker,
} from './registry';

/**
 * A worker holds a trial's lock while it trains and renews it every LOCK_MS / 2 from its main
 * thread, which training never blocks (it runs in worker threads). A killed worker's trials go back
 * to the queue once their lock lapses, found by the next stalled-job check of any worker.
 */
export const LOCK_MS = 8000;
const STALLED_CHECK_MS = 4000;
/** A trial that takes down its worker this many times more is failed instead of killing a third. */
const MAX_STALLS = 2;
/** Heartbeats a chief may miss (a Redis restart, a slow machine) before its search counts as gone. */
const MISSED_BEATS = 5;
/** Progress within an epoch is sent at most this often (each is a Redis round trip). */
const BATCH_REPORT_MS = 500;

export interface WorkerOptions {
  url: string;
  /** Trials at once, as asked; left out, the engine's default. Either way capped by the cores and by the memory each search's data needs. */
  concurrency?: number;
  /** The engine this machine trains with (already chosen and loaded by the caller). */
  backend: string;
  threads: number;
  notify: Notify;
  signal: AbortSignal;
}

interface Serving {
  entry: SearchEntry;
  pool: Executor;
  /** Trials at once for this search's data. */
  concurrency: number;
  bull: Worker<QueueJobData, QueueResult>;
  /** BullMQ leaves a connection it was given open on close: it is closed here. */
  connection: Redis;
  active: number;
  missed: number;
  stopped: boolean;
}

/**
 * A pool worker that could not start (or whose replacement could not) leaves fewer trials at once
 * on this machine: BullMQ then takes no more jobs than there are workers to train them (the rest go
 * to other machines), and the chief, told at this heartbeat, counts that many.
 */
export function matchPool(s: { pool: Pick<Executor, 'workers'>; concurrency: number; bull: { concurrency: number } }): void {
  const live = s.pool.workers;
  // None left: nothing to match; the pool's next trial fails with the start error.
  if (live === 0 || live === s.concurrency) return;
  s.concurrency = live;
  s.bull.concurrency = live;
}

export async function serveQueue(options: WorkerOptions): Promise<void> {
  const me = thisProcess();
  const version = packageVersion();
  const client = connect(options.url, options.notify, 'automm-worker');
  const refused = new Set<string>();
  let serving: Serving | undefined;
  let offset = 0;
  try {
    while (!options.signal.aborted) {
      if (serving) matchPool(serving);
      await publishWorker(client, { worker: me, version, concurrency: serving?.concurrency ?? options.concurrency ?? defaultWorkers(options.backend), serving: serving?.entry.queue });
      offset = await clockOffset(client);
      const searches = await listSearches(client);
      if (serving) serving = await follow(serving, searches);
      if (!serving && !options.signal.aborted) serving = await choose(searches);
      await sleep(HEARTBEAT_MS, options.signal);
    }
  } finally {
    if (serving) await leave(serving);
    await withdrawWorker(client, me).catch(() => undefined);
    client.disconnect();
  }

  /**
   * Keeps serving while the chief is there (a resumed chief is the same search); takes its stop;
   * leaves, once idle, when the chief has been gone a while or a stopped search was resumed.
   */
  async function follow(s: Serving, searches: SearchEntry[]): Promise<Serving | undefined> {
    const entry = searches.find((e) => e.queue === s.entry.queue && e.searchId === s.entry.searchId);
    s.missed = entry ? 0 : s.missed + 1;
    if (entry && !s.stopped) s.entry = entry;
    if (entry?.stopping && !s.stopped) {
      // No new trial starts here; the ones in flight stop at their next epoch boundary.
      s.stopped = true;
      s.pool.stop();
      void s.bull.pause(true).catch(() => undefined);
    }
    const gone = s.missed >= MISSED_BEATS || (s.stopped && entry !== undefined && entry.session !== s.entry.session);
    if (!gone || s.active > 0) return s;
    await leave(s);
    options.notify(`left search "${s.entry.queue}" (${s.stopped ? 'it was stopped' : 'its chief is gone'})`);
    return undefined;
  }

  async function choose(searches: SearchEntry[]): Promise<Serving | undefined> {
    for (const entry of searches) {
      if (entry.stopping || refused.has(entry.session)) continue;
      const here = refusal(entry, { version }) ?? unreachableProject(entry) ?? (await dataHere(entry));
      if (typeof here !== 'string') return join(entry, here);
      refused.add(entry.session);
      options.notify(`refusing search "${entry.queue}": ${here}`);
    }
    return undefined;
  }

  /**
   * The data, prepared here, sizes the pool: each worker thread holds a copy. The pool takes the
   * worker's stop signal: its trials in flight stop at their next epoch boundary (and go back to the
   * queue, see train), also when the stop came while this search was being joined.
   */
  async function join(entry: SearchEntry, data: PreparedData): Promise<Serving> {
    const spec = { ...entry.spec, search: { ...entry.spec.search, backend: options.backend } };
    const { workers: concurrency, note } = trialWorkers(options.concurrency, options.backend, data);
    const pool = await poolExecutor({ spec, project: entry.project, backend: options.backend, threads: options.threads, data: data.share?.() }, concurrency, { signal: options.signal, note: options.notify });
    const s: Serving = { entry, pool, concurrency, active: 0, missed: 0, stopped: false, connection: client.duplicate() } as Serving;
    s.bull = new Worker<QueueJobData, QueueResult>(entry.queue, (job, token) => train(s, job, token), {
      connection: s.connection, prefix: KEY_PREFIX, concurrency,
      lockDuration: LOCK_MS, stalledInterval: STALLED_CHECK_MS, maxStalledCount: MAX_STALLS,
    });
    // BullMQ reports lost connections here too; connect() already says so once per attempt.
    s.bull.on('error', (err) => void (/ECONNREFUSED|Connection is closed|ECONNRESET|ETIMEDOUT/.test(err.message) || options.notify(`queue: ${err.message}`)));
    options.notify(`serving search "${entry.queue}" (${entry.project}, chief ${entry.chief}): ${concurrency} trial(s) at a time on ${options.backend}${note ? ` (${note})` : ''}`);
    return s;
  }

  async function train(s: Serving, job: Job<QueueJobData, QueueResult>, token: string | undefined): Promise<QueueResult> {
    const { searchId, trial } = job.data;
    if (searchId !== s.entry.searchId) throw new UnrecoverableError(`this job belongs to search ${searchId}, not the one served (${s.entry.searchId})`);
    if (job.data.version !== version) throw new UnrecoverableError(`this job was queued by automm ${job.data.version}; worker ${me} runs ${version}`);
    s.active++;
    try {
      const progress: QueueProgress = { worker: me, history: [] };
      const send = () => void job.updateProgress(progress).catch(() => undefined);
      send();
      const onBatch = throttledBatches((epoch, batch, batches) => ((progress.batch = [epoch, batch, batches]), send()), BATCH_REPORT_MS);
      const deadline = trial.deadline === undefined ? undefined : trial.deadline - offset;
      const outcome = await s.pool.run({ ...trial, deadline }, {
        batch: (_i, epoch, batch, batches) => onBatch(epoch, batch, batches),
        epoch: (_i, epoch, logs) => (progress.history[epoch] = logs, (progress.batch = undefined), send()),
      });
      // Stopped because this worker is shutting down, not the search: another worker takes it over.
      if (outcome.status === 'running' && options.signal.aborted && !s.stopped) {
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      return { ...outcome, worker: me };
    } finally {
      s.active--;
    }
  }

  async function leave(s: Serving): Promise<void> {
    await s.bull.close();
    s.connection.disconnect();
    await s.pool.close();
  }
}

/** Workers write trial models into the project: it must be the chief's directory, seen at the same path. */
function unreachableProject(entry: SearchEntry): string | undefined {
  try {
    fs.accessSync(entry.project, fs.constants.W_OK);
    return undefined;
  } catch {
    return `its project directory ${entry.project} is not writable here; workers write models there, so it must be on a filesystem shared at the same path on every machine`;
  }
}

/** The search's data prepared here, or why not: the same spec must prepare the same data as on the chief (same files, same path). */
async function dataHere(entry: SearchEntry): Promise<PreparedData | string> {
  try {
    const data = await prepareData(entry.spec);
    const here = fingerprint(data.preprocessing);
    if (here === entry.dataHash) return data;
    return `its data prepares differently here than on the chief (preprocessing ${here} here, ${entry.dataHash} there): the files under ${entry.spec.file}'s data paths differ between machines`;
  } catch (err) {
    return `its data cannot be read here (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const wake = () => (clearTimeout(timer), resolve());
    const timer = setTimeout(() => (signal.removeEventListener('abort', wake), resolve()), ms);
    signal.addEventListener('abort', wake, { once: true });
  });
