/** The engine and the executor a search runs on: shared by `automm search` and the library's search(). */
import * as os from 'node:os';
import { registerCustomLayers } from '../blocks/registry';
import type { PreparedData } from '../data/source';
import { EngineInfo, initEngine } from '../engine/backend';
import type { Spec } from '../spec/types';
import { inProcessExecutor, poolExecutor } from './executors';
import type { Executor } from './run';
import { capWorkers, workerBytes } from './workers';
import type { Notify } from '../queue/redis';

/**
 * Engines that use every core themselves (native TensorFlow, a GPU) get one trial at a time, in
 * process. wasm trials always run in workers, even one: an allocation beyond wasm's 4 GB stops its
 * engine for good, and a worker can be replaced where the main thread's engine cannot.
 */
export async function makeExecutor(spec: Spec, data: PreparedData, project: string, queue?: { url: string; notify: Notify }): Promise<{ executor: Executor; engine: EngineInfo; workersNote?: string }> {
  // On wasm the main thread's engine only scores data.test at the end: trials run in workers.
  const engine = await initEngine(spec.search.backend as never, { threads: 1 });
  registerCustomLayers();
  // A chief's engine only scores data.test at the end: its trials train on queue workers.
  if (queue) {
    // Loaded only here: BullMQ and its Redis client are a third of the CLI's start-up otherwise.
    const { queueExecutor } = await import('../queue/chief');
    return { executor: await queueExecutor({ ...queue, spec, data, project, backend: engine.backend }), engine };
  }
  const parallel = engine.backend === 'wasm' || engine.backend === 'cpu';
  const capped = capWorkers(spec.search.workers ?? (parallel ? os.availableParallelism() : 1), { cores: os.availableParallelism(), freeMemory: os.freemem(), perWorker: workerBytes(data) });
  const workers = Math.min(capped.workers, spec.search.max_trials);
  if (workers <= 1 && engine.backend !== 'wasm') return { executor: inProcessExecutor(spec, data, project, engine.backend), engine, workersNote: capped.note };
  const threads = spec.search.threads ?? 1;
  return { executor: await poolExecutor({ spec: { ...spec, search: { ...spec.search, backend: engine.backend } }, project, backend: engine.backend, threads }, workers), engine, workersNote: capped.note };
}
