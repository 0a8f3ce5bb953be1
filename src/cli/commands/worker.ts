import { Command } from 'commander';
import { BackendChoice, initEngine } from '../../engine/backend';
import { BACKEND_CHOICES } from '../../engine/choices';
import { oneOf, positiveInt } from '../errors';

interface WorkerFlags {
  queue: string;
  concurrency?: number;
  backend?: BackendChoice;
  threads?: number;
}

export function workerCommand(program: Command): void {
  program
    .command('worker')
    .description('train the trials of distributed searches (`automm search --queue URL`) until stopped')
    .requiredOption('--queue <url>', 'the Redis of the search: redis://[:password@]host:port[/db] or rediss://')
    .option('--concurrency <n>', "trials at once, each in its own worker thread (default: cores on wasm/cpu, 1 on native/GPU; at most what the cores and each search's data in free memory allow)", positiveInt('--concurrency'))
    .option('--backend <name>', `this machine's engine: ${BACKEND_CHOICES.join('|')} (default auto)`, oneOf('--backend', BACKEND_CHOICES))
    .option('--threads <n>', 'wasm engine threads per trial (default 1)', positiveInt('--threads'))
    .action(async (flags: WorkerFlags) => {
      // BullMQ and its Redis client load for this command only: every other command starts faster.
      const [{ serveQueue }, { checkUrl }] = await Promise.all([import('../../queue/worker'), import('../../queue/redis')]);
      checkUrl(flags.queue);
      const engine = await initEngine(flags.backend ?? 'auto', { threads: 1 });
      const say = (line: string) => process.stderr.write(`worker: ${line}\n`);
      say(`${engine.backend} engine (${engine.reason}); waiting for searches on the queue`);
      await serveQueue({ url: flags.queue, concurrency: flags.concurrency, backend: engine.backend, threads: flags.threads ?? 1, notify: say, signal: onStop(say).signal });
    });
}

/**
 * First Ctrl-C (or SIGTERM): trials in flight stop at their next epoch boundary and go back to the
 * queue for another worker; then the worker exits. Second: exit at once (the queue's stalled-job
 * check hands those trials on after the lock lapses).
 */
function onStop(say: (line: string) => void): AbortController {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    say('stopping: trials in flight go back to the queue at their next epoch boundary (Ctrl-C again to quit now)');
    controller.abort();
  };
  process.on('SIGINT', stop).on('SIGTERM', stop);
  return controller;
}
