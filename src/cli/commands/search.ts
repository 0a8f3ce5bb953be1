import { Command } from 'commander';
import { loadSpec } from '../../spec/validate';
import type { Spec } from '../../spec/types';
import { prepareData } from '../../data/prepare';
import { BACKEND_CHOICES } from '../../engine/choices';
import { runSearch } from '../../search/run';
import { makeExecutor } from '../../search/make-executor';
import { assertProjectFree, projectDir } from '../../search/project-guard';
import { makeReporter, ProgressMode } from '../progress';
import { combineReporters } from '../../search/reporters';
import { Leaderboard, paths } from '../../search/project';
import { tensorboardReporter } from '../../tensorboard/logs';
import { formatScore } from '../../util/format';
import { parseDuration } from '../../spec/defaults';
import { intAtLeast, oneOf, positiveInt, UsageError } from '../errors';

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
  quiet?: boolean;
  json?: boolean;
  report: boolean;
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
    .option('--backend <name>', `engine: ${BACKEND_CHOICES.join('|')} (default: search.backend or auto)`, oneOf('--backend', BACKEND_CHOICES))
    .option('--workers <n>', 'trials at once, each in its own worker (default: cores on wasm/cpu, 1 on native/GPU)', positiveInt('--workers'))
    .option('--threads <n>', 'wasm engine threads per worker (default 1; more helps large convolutions when workers < cores)', positiveInt('--threads'))
    .option('--quiet', 'no progress display (results and errors only)')
    .option('--json', 'progress and results as JSON events on standard output, one object a line')
    .option('--no-report', 'skip writing runs/<name>/report.html at the end')
    .option('--queue <url>', 'be the chief of a distributed search: trials go to `automm worker`s through Redis (redis://[:password@]host:port[/db])')
    .action(async (file: string, flags: SearchFlags) => {
      if (flags.quiet && flags.json) throw new UsageError('--quiet and --json exclude each other; choose one');
      const spec = withOverrides(loadSpec(file), flags);
      const project = projectDir(flags.out, spec.name);
      assertProjectFree(project);
      const data = await prepareData(spec);
      for (const note of data.notes ?? []) process.stderr.write(`data: ${note}\n`);
      const queue = flags.queue ? { url: flags.queue, notify: (line: string) => process.stderr.write(`queue: ${line}\n`) } : undefined;
      const noteWorkers = (note: string) => process.stderr.write(`workers: ${note}\n`);
      const { executor, engine, workersNote } = await makeExecutor(spec, data, project, queue, noteWorkers);
      process.stderr.write(`engine: ${engine.backend} (${engine.reason})\n`);
      if (workersNote) noteWorkers(workersNote);
      const interrupt = onInterrupt();
      const mode: ProgressMode = flags.json ? 'json' : flags.quiet ? 'quiet' : 'auto';
      try {
        const reporter = combineReporters(makeReporter(mode, process.stderr), tensorboardReporter(paths(project).tensorboard));
        const board = await runSearch(spec, data, executor, { project, overwrite: flags.overwrite, resume: flags.resume, signal: interrupt.signal, onNote: (m) => process.stderr.write(`automm: ${m}\n`) }, reporter);
        // The models are saved by now: a failure writing the report still lets the result be printed first.
        // The report's modules (Graphviz, charts) load only now: they are not on the way to the first epoch.
        const { writeSearchOutputs } = await import('../../report/outputs');
        const after = await writeSearchOutputs(project, board, data, spec, { report: flags.report }).catch((err: unknown) => ({ report: undefined, failed: err }));
        if (mode !== 'json') printResult(project, spec, board, after.report);
        if ('failed' in after) throw after.failed;
        if (!board.best) process.exitCode = 1;
      } finally {
        process.removeAllListeners('SIGINT');
        await executor.close();
      }
    });
}

/** The outcome on standard output; scores to 4 significant digits. */
function printResult(project: string, spec: Spec, board: Leaderboard, report?: string): void {
  const best = board.trials.find((t) => t.id === board.best);
  process.stdout.write(
    best
      ? `best: ${best.id} with ${spec.search.objective.metric} ${formatScore(best.score)}; model in ${paths(project).best}\n`
      : `no trial completed${board.stopReason ? ` (${board.stopReason})` : ''}; see ${paths(project).leaderboard}\n`,
  );
  if (board.test) process.stdout.write(`test: ${Object.entries(board.test).map(([k, v]) => `${k} ${formatScore(v)}`).join(', ')}\n`);
  if (report) process.stdout.write(`report: ${report}\n`);
  if (board.stopReason) process.stderr.write(`stopped: ${board.stopReason}\n`);
}

/** First Ctrl-C: finish the epochs in flight, save, stop (the progress display says so). Second: leave at once. */
function onInterrupt(): AbortController {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  });
  return controller;
}

function withOverrides(spec: Spec, flags: SearchFlags): Spec {
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
