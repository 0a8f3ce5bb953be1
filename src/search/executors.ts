/**
 * Where trials run. In-process: simplest, used with one worker on native, GPU and cpu engines.
 * Pool: N worker threads, each with its own engine, so N trials train at once, and a worker that
 * dies (or whose engine does) fails only its own trial and is replaced.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { planGraph } from '../graph/plan';
import type { PreparedData, SharedPrepared } from '../data/source';
import type { Spec } from '../spec/types';
import { executeTrial, TrialJob, TrialOutcome } from './execute';
import type { Executor, Reporter } from './types';

export function inProcessExecutor(spec: Spec, data: PreparedData, project: string, backend: string): Executor {
  const ctx = { spec, plan: planGraph(spec), data, project };
  let stopping = false;
  return {
    workers: 1,
    backend,
    run: (job, reporter) =>
      executeTrial(ctx, job, {
        onBatch: (e, b, n) => reporter.batch?.(job.index, e, b, n),
        onEpoch: (e, logs) => reporter.epoch?.(job.index, e, logs),
        shouldStop: () => stopping,
      }),
    stop: () => void (stopping = true),
    close: async () => undefined,
  };
}

/** What the main thread sends a worker. */
export type WorkerCommand = { type: 'run'; job: TrialJob };

/** What a pool is set up with (structured-cloned into each worker). */
export interface WorkerSetup {
  spec: Spec;
  project: string;
  backend: string;
  /** wasm engine threads per worker. */
  threads: number;
  /** The main thread's prepared rows, when they can be shared: workers then skip preparing their own. */
  data?: SharedPrepared;
}

/**
 * What a worker is started with: the setup plus the pool's stop flag. The flag is shared memory,
 * read at each epoch boundary: a message would wait for the worker's event loop, which training
 * (promise chains, no I/O) may not give back for a whole trial.
 */
export interface WorkerData extends WorkerSetup {
  stopFlag: Int32Array;
}

export type WorkerMessage =
  | { type: 'ready'; backend: string }
  | { type: 'batch'; index: number; epoch: number; batch: number; batches: number }
  | { type: 'epoch'; index: number; epoch: number; logs: Record<string, number> }
  /** engineLost: the worker's engine aborted (out of memory) and the worker must be replaced. */
  | { type: 'done'; outcome: TrialOutcome; engineLost: boolean }
  | { type: 'fatal'; message: string };

/**
 * tfjs makes many short-lived objects per kernel call; a larger young generation than V8's default
 * means fewer scavenges, whose helper threads compete with the other worker for the cores
 * (measured: ~5% more trials/hour with 2 workers on 2 cores).
 */
const YOUNG_GENERATION_MB = 96;

/** What a pool is told besides its workers' setup. */
export interface PoolOptions {
  /** Aborted, the pool stops as stop() does, also when that was before the pool was made (a queue worker's Ctrl-C while it joined a search). */
  signal?: AbortSignal;
  /** Told when workers could not start and the pool goes on without them. */
  note?: (message: string) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<string>;
  started: boolean;
  busy: boolean;
}

/**
 * The first worker starts alone and the others once it is up, while the first trial trains: started
 * together they share the cores with it and each other, and the first epoch came ~0.4 s later on 2
 * cores than with one worker. A trial given a worker that is still starting waits for it. A worker
 * that cannot start (after the first: without it there is no pool) is dropped and its trial goes to
 * one that is up: the search goes on with fewer, says so, and fails only when none is left.
 */
export async function poolExecutor(setup: WorkerSetup, workers: number, options: PoolOptions = {}): Promise<Executor> {
  const slots: Slot[] = [];
  /** Trials waiting for a worker: more of them run than workers are left once one was dropped. */
  const waiting: Array<{ resolve: (slot: Slot) => void; reject: (err: unknown) => void }> = [];
  let startError: unknown;
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const workerData: WorkerData = { ...setup, stopFlag };
  const drop = (slot: Slot, err: unknown) => {
    startError = err;
    void slot.worker.terminate();
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
    if (slots.length === 0) for (const w of waiting.splice(0)) w.reject(err);
  };
  const spawn = (): Slot => {
    const slot = startWorker(workerData);
    // At once, not when a trial gets this worker: the pool counts one fewer, and a trial waiting on it takes another.
    slot.ready.catch((err) => drop(slot, err));
    return slot;
  };
  slots.push(spawn());
  const backend = await slots[0].ready;
  const others = Array.from({ length: workers - 1 }, spawn);
  slots.push(...others);
  void noteFailures(others, (failed, why) => `${failed} of ${workers} trial workers could not start (${why}); going on with ${slots.length}`);

  /** A free worker, one that is up when there is one; else the next one handed back. */
  const acquire = (): Promise<Slot> => {
    const idle = slots.filter((s) => !s.busy);
    const slot = idle.find((s) => s.started) ?? idle[0];
    if (slot) return Promise.resolve(Object.assign(slot, { busy: true }));
    if (slots.length === 0) return Promise.reject(startError);
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
  const release = (slot: Slot) => {
    const next = waiting.shift();
    if (next) next.resolve(slot);
    else slot.busy = false;
  };
  /** A worker that died (or whose engine did) is replaced; the fresh one, busy, goes to release. */
  const replace = (slot: Slot): Slot => {
    void slot.worker.terminate();
    const fresh = Object.assign(spawn(), { busy: true });
    slots[slots.indexOf(slot)] = fresh;
    void noteFailures([fresh], (_, why) => `a trial worker started in place of one that died could not start (${why}); going on with ${slots.length}`);
    return fresh;
  };
  const run = async (job: TrialJob, reporter: Reporter): Promise<TrialOutcome> => {
    let slot = await acquire();
    while (!(await slot.ready.then(() => true, () => false))) slot = await acquire();
    const result = await runOnWorker(slot.worker, job, reporter);
    release(result.replace ? replace(slot) : slot);
    return result.outcome;
  };
  /** One note for workers started together: they fail alike (memory, say), and a line each would say one thing N times. */
  async function noteFailures(started: Slot[], message: (failed: number, why: string) => string): Promise<void> {
    const failed = (await Promise.allSettled(started.map((s) => s.ready))).filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    // None left: the search fails with the start error itself.
    if (failed.length > 0 && slots.length > 0) options.note?.(message(failed.length, errorLine(failed[0].reason)));
  }
  const stop = () => void Atomics.store(stopFlag, 0, 1);
  const { signal } = options;
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });
  const close = async () => {
    signal?.removeEventListener('abort', stop);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  };
  return { get workers() { return slots.length; }, backend, run, stop, close };
}

/** A worker thread and its start: `ready` gives its engine's backend, or rejects with why it could not start. */
function startWorker(workerData: WorkerData): Slot {
  const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  const slot: Slot = { worker, ready: undefined as never, started: false, busy: false };
  slot.ready = new Promise<string>((resolve, reject) => {
    const onMessage = (m: WorkerMessage) => {
      if (m.type === 'ready') (worker.off('message', onMessage), (slot.started = true), resolve(m.backend));
      if (m.type === 'fatal') (worker.off('message', onMessage), reject(new Error(m.message)));
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
  return slot;
}

const errorLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0];

/** The trial's outcome, and whether its worker must be replaced (it died, or its engine did). */
function runOnWorker(worker: Worker, job: TrialJob, reporter: Reporter): Promise<{ outcome: TrialOutcome; replace: boolean }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const onMessage = (m: WorkerMessage) => {
      if (m.type === 'batch') reporter.batch?.(m.index, m.epoch, m.batch, m.batches);
      if (m.type === 'epoch') reporter.epoch?.(m.index, m.epoch, m.logs);
      if (m.type === 'done') finish(m.outcome, m.engineLost);
    };
    const died = (why: string) =>
      finish({ status: 'failed', history: [], message: `the worker running this trial died${why}; the search goes on`, durationMs: Date.now() - started }, true);
    const onExit = (code: number) => died(` (exit code ${code})`);
    const onError = (err: Error) => died(`: ${err.message}`);
    function finish(outcome: TrialOutcome, replace: boolean) {
      worker.off('message', onMessage).off('exit', onExit).off('error', onError);
      resolve({ outcome, replace });
    }
    worker.on('message', onMessage).once('exit', onExit).once('error', onError);
    worker.postMessage({ type: 'run', job } satisfies WorkerCommand);
  });
}
