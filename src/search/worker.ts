/** A trial worker: its own engine, its own copy of the data, one trial at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import { initEngine, BackendChoice, engineAlive } from '../engine/backend';
import { registerCustomLayers } from '../blocks/registry';
import { prepareData } from '../data/prepare';
import { fromShared } from '../data/shared';
import { planGraph } from '../graph/plan';
import { executeTrial } from './execute';
import type { WorkerCommand, WorkerData, WorkerMessage } from './executors';
import { throttledBatches } from './batch-progress';

const post = (m: WorkerMessage) => parentPort!.postMessage(m);

async function main(): Promise<void> {
  const setup = workerData as WorkerData;
  const engine = await initEngine(setup.backend as BackendChoice, { threads: setup.threads });
  registerCustomLayers();
  // Shared rows when the main thread has them (tables); random data is cheaper made again than sent.
  const data = setup.data ? fromShared(setup.data) : await prepareData(setup.spec);
  const ctx = { spec: setup.spec, plan: planGraph(setup.spec), data, project: setup.project };
  parentPort!.on('message', async (command: WorkerCommand) => {
    const { job } = command;
    const outcome = await executeTrial(ctx, job, {
      onBatch: throttledBatches((epoch, batch, batches) => post({ type: 'batch', index: job.index, epoch, batch, batches })),
      onEpoch: (epoch, logs) => post({ type: 'epoch', index: job.index, epoch, logs }),
      shouldStop: () => Atomics.load(setup.stopFlag, 0) === 1,
    });
    post({ type: 'done', outcome, engineLost: !engineAlive() });
  });
  post({ type: 'ready', backend: engine.backend });
}

main().catch((err) => post({ type: 'fatal', message: err instanceof Error ? err.message : String(err) }));
