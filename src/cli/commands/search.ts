import * as path from 'node:path';
import { Command } from 'commander';
import { loadSpec } from '../../spec/validate';
import type { Spec } from '../../spec/types';
import { prepareData } from '../../data/prepare';
import { BACKEND_CHOICES } from '../../engine/choices';
import { runSearch } from '../../search/run';
import { makeExecutor } from '../../search/make-executor';
import { makeReporter } from '../progress';
import { parseDuration } from '../../spec/defaults';
import { intAtLeast, positiveInt, UsageError } from '../errors';

interface SearchFlags {
  maxTrials?: number;
  epochs?: number;
  seed?: number;
  out: string;
  overwrite?: boolean;
  resume?: boolean;
  timeLimit?: string;
  refit: boolean;
  backend?: string;
  workers?: number;
  threads?: number;
  queue?: string;
}

export function searchCommand(program: Command): void {
  program
    .command('search')
    .description('run the trial search of a spec and save the best model to runs/<name>/best')
    .argument('<spec>', 'the spec file (YAML)')
    .option('--max-trials <n>', 'override search.max_trials', positiveInt('--max-trials'))
    .option('--epochs <n>', 'override search.epochs', positiveInt('--epochs'))
    .option('--seed <n>', 'override seed', intAtLeast('--seed', 0))
    .option('--out <dir>', 'where projects go (runs/<name>)', 'runs')
    .option('--overwrite', 'delete an earlier search of the same name first')
    .option('--resume', 'continue an interrupted search: finished trials are kept, the one in flight is retrained')
    .option('--time-limit <duration>', 'override search.time_limit: 90s, 30m, 2h')
    .option('--no-refit', 'keep the best trial as it is (skip retraining it on training + validation rows)')
    .option('--backend <name>', `engine: ${BACKEND_CHOICES.join('|')} (default: search.backend or auto)`)
    .option('--workers <n>', 'trials at once, each in its own worker (default: cores on wasm/cpu, 1 on native/GPU)', positiveInt('--workers'))
    .option('--threads <n>', 'wasm engine threads per worker (default 1; more helps large convolutions when workers < cores)', positiveInt('--threads'))
    .option('--queue <url>', 'be the chief of a distributed search: trials go to `automm worker`s through Redis (redis://[:password@]host:port[/db])')
    .action(async (file: string, flags: SearchFlags) => {
      const spec = withOverrides(loadSpec(file), flags);
      const project = path.join(flags.out, spec.name);
      const data = await prepareData(spec);
      for (const note of data.notes ?? []) process.stderr.write(`data: ${note}\n`);
      const queue = flags.queue ? { url: flags.queue, notify: (line: string) => process.stderr.write(`queue: ${line}\n`) } : undefined;
      const { executor, engine } = await makeExecutor(spec, data, project, queue);
      process.stderr.write(`engine: ${engine.backend} (${engine.reason})\n`);
      const interrupt = onInterrupt();
      try {
        const board = await runSearch(spec, data, executor, { project, overwrite: flags.overwrite, resume: flags.resume, signal: interrupt.signal }, makeReporter(process.stderr, spec.search.epochs));
        const best = board.trials.find((t) => t.id === board.best);
        process.stdout.write(
          best
            ? `best: ${best.id} with ${spec.search.objective.metric} ${best.score}; model in ${path.join(project, 'best')}\n`
            : `no trial completed${board.stopReason ? ` (${board.stopReason})` : ''}; see ${path.join(project, 'leaderboard.json')}\n`,
        );
        if (board.test) process.stdout.write(`test: ${Object.entries(board.test).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ')}\n`);
        if (board.stopReason) process.stderr.write(`stopped: ${board.stopReason}\n`);
        if (!best) process.exitCode = 1;
      } finally {
        process.removeAllListeners('SIGINT');
        await executor.close();
      }
    });
}

/** First Ctrl-C: finish the epochs in flight, save, stop. Second: leave at once (results on disk stay whole). */
function onInterrupt(): AbortController {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping after the epochs in flight (Ctrl-C again to quit now); resume with --resume\n');
    controller.abort();
  });
  return controller;
}

function withOverrides(spec: Spec, flags: SearchFlags): Spec {
  if (flags.backend && !(BACKEND_CHOICES as readonly string[]).includes(flags.backend)) {
    throw new UsageError(`--backend expects one of ${BACKEND_CHOICES.join(', ')}, got "${flags.backend}"`);
  }
  return {
    ...spec,
    seed: flags.seed ?? spec.seed,
    search: {
      ...spec.search,
      max_trials: flags.maxTrials ?? spec.search.max_trials,
      epochs: flags.epochs ?? spec.search.epochs,
      backend: flags.backend ?? spec.search.backend,
      workers: flags.workers ?? spec.search.workers,
      threads: flags.threads ?? spec.search.threads,
      refit: flags.refit && spec.search.refit,
      time_limit: flags.timeLimit !== undefined ? parseTimeLimit(flags.timeLimit) : spec.search.time_limit,
    },
  };
}

function parseTimeLimit(written: string): number {
  try {
    return parseDuration(/^\d+(\.\d+)?$/.test(written) ? Number(written) : written);
  } catch {
    throw new UsageError(`--time-limit expects a duration such as 90s, 30m or 2h, got "${written}"`);
  }
}
