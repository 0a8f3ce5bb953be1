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
 * cores than with one worker. A trial given a worker that is still starting waits for it.
 */
export async function poolExecutor(setup: WorkerSetup, workers: number, options: PoolOptions = {}): Promise<Executor> {
  const slots: Slot[] = [];
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const workerData: WorkerData = { ...setup, stopFlag };
  const spawn = (): Slot => {
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
    // Awaited by the trial that gets this worker; a failure before then must not go unhandled.
    slot.ready.catch(() => undefined);
    return slot;
  };
  slots.push(spawn());
  const backend = await slots[0].ready;
  for (let i = 1; i < workers; i++) slots.push(spawn());

  const run = async (job: TrialJob, reporter: Reporter): Promise<TrialOutcome> => {
    const idle = slots.filter((s) => !s.busy);
    const slot = idle.find((s) => s.started) ?? idle[0];
    slot.busy = true;
    await slot.ready;
    const { outcome, replace } = await runOnWorker(slot.worker, job, reporter);
    const i = slots.indexOf(slot);
    if (replace) {
      void slot.worker.terminate();
      slots[i] = spawn();
    }
    slots[i].busy = false;
    return outcome;
  };
  const stop = () => void Atomics.store(stopFlag, 0, 1);
  const { signal } = options;
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });
  const close = async () => {
    signal?.removeEventListener('abort', stop);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  };
  return { workers, backend, run, stop, close };
}

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
