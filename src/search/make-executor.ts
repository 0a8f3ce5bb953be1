/** The engine and the executor a search runs on: shared by `automm search` and the library's search(). */
import type { PreparedData } from '../data/source';
import { EngineInfo, initEngine } from '../engine/backend';
import type { Spec } from '../spec/types';
import { inProcessExecutor, poolExecutor } from './executors';
import type { Executor } from './types';
import { trialWorkers } from './workers';
import type { Notify } from '../queue/redis';

/**
 * Engines that use every core themselves (native TensorFlow, a GPU) get one trial at a time, in
 * process. wasm trials always run in workers, even one: an allocation beyond wasm's 4 GB stops its
 * engine for good, and a worker can be replaced where the main thread's engine cannot.
 * `note` hears, during the search, of pool workers that could not start (it goes on with fewer).
 */
export async function makeExecutor(spec: Spec, data: PreparedData, project: string, queue?: { url: string; notify: Notify }, note?: (message: string) => void): Promise<{ executor: Executor; engine: EngineInfo; workersNote?: string }> {
  // On wasm the main thread's engine only scores data.test at the end: trials run in workers.
  const engine = await initEngine(spec.search.backend as never, { threads: 1 });
  // A chief's engine only scores data.test at the end: its trials train on queue workers.
  if (queue) {
    // Loaded only here: BullMQ and its Redis client are a third of the CLI's start-up otherwise.
    const { queueExecutor } = await import('../queue/chief');
    return { executor: await queueExecutor({ ...queue, spec, data, project, backend: engine.backend }), engine };
  }
  const capped = trialWorkers(spec.search.workers, engine.backend, data);
  const workers = Math.min(capped.workers, spec.search.max_trials);
  if (workers <= 1 && engine.backend !== 'wasm') return { executor: inProcessExecutor(spec, data, project, engine.backend), engine, workersNote: capped.note };
  const threads = spec.search.threads ?? 1;
  const setup = { spec: { ...spec, search: { ...spec.search, backend: engine.backend } }, project, backend: engine.backend, threads, data: data.share?.() };
  return { executor: await poolExecutor(setup, workers, { note }), engine, workersNote: capped.note };
}
