/**
 * automm from code, with no setup: search() validates the spec, prepares the data, starts an
 * engine and runs the search as `automm search` does; loadPredictor() starts an engine if none is
 * running. Everything else in src/index.ts is the lower-level pieces these are made of.
 */
import { stringify } from 'yaml';
import { prepareData } from './data/prepare';
import type { BackendChoice } from './engine/backend';
import { ensureEngine } from './engine/ensure';
import { loadPredictor as loadWithEngine, Predictor } from './export/predictor';
import { makeExecutor } from './search/make-executor';
import { projectDir } from './search/project-guard';
import { runSearch } from './search/run';
import type { Reporter } from './search/types';
import { combineReporters } from './search/reporters';
import { paths, type Leaderboard } from './search/project';
import { tensorboardReporter } from './tensorboard/logs';
import type { EpochLogs, Trial } from './search/trial';
import type { RawSpec } from './spec/schema';
import type { Spec as ResolvedSpec } from './spec/types';
import { loadSpec, loadSpecText } from './spec/validate';

/** A spec as written (YAML or an object): the type is generated from the same schema that validates it. */
export type Spec = RawSpec;

/** What a search reports while it runs (the CLI's progress bars are made of the same events). */
export type SearchEvent =
  | { type: 'start'; total: number; workers: number; backend: string; engine: string }
  | { type: 'trialStarted'; trial: Trial }
  | { type: 'epoch'; index: number; epoch: number; logs: EpochLogs }
  | { type: 'trialEnded'; trial: Trial }
  | { type: 'finished'; leaderboard: Leaderboard }
  /** What the CLI prints on standard error as it goes: data notes, capped or dropped workers, resume notes. */
  | { type: 'note'; message: string };

export interface SearchOptions {
  /** Where projects go: <out>/<spec name> (default "runs"). */
  out?: string;
  /** Override search.max_trials. */
  maxTrials?: number;
  /** Override search.epochs. */
  epochs?: number;
  /** Override search.backend (default: the spec's, else auto). */
  backend?: BackendChoice;
  /** Override search.workers. */
  workers?: number;
  /** Replace an earlier search of the same name, or continue it. */
  overwrite?: boolean;
  resume?: boolean;
  /** Abort to stop after the epochs in flight; the leaderboard so far is returned and saved. */
  signal?: AbortSignal;
  onEvent?: (event: SearchEvent) => void;
  /** Write <out>/<name>/report.html at the end (default true). */
  report?: boolean;
}

/**
 * Runs a search and returns its leaderboard (also in <out>/<name>/leaderboard.json; the best model
 * in <out>/<name>/best). A spec object's relative data paths are relative to the working directory;
 * its problems are reported against its YAML rendering, named `spec object`.
 */
export async function search(spec: string | Spec, options: SearchOptions = {}): Promise<Leaderboard> {
  const loaded = typeof spec === 'string' ? loadSpec(spec) : loadSpecText(stringify(spec), 'spec object');
  const resolved = withOptions(loaded, options);
  const project = projectDir(options.out ?? 'runs', resolved.name);
  const emit = options.onEvent ?? (() => undefined);
  const note = (message: string) => emit({ type: 'note', message });
  const data = await prepareData(resolved);
  for (const n of data.notes ?? []) note(n);
  const { executor, engine, workersNote } = await makeExecutor(resolved, data, project, undefined, note);
  if (workersNote) note(workersNote);
  const reporter: Reporter = {
    start: (info) => emit({ type: 'start', ...info, backend: engine.backend, engine: engine.reason }),
    trialStarted: (trial) => emit({ type: 'trialStarted', trial }),
    epoch: (index, epoch, logs) => emit({ type: 'epoch', index, epoch, logs }),
    trialEnded: (trial) => emit({ type: 'trialEnded', trial }),
    finish: (leaderboard) => emit({ type: 'finished', leaderboard }),
  };
  try {
    const board = await runSearch(resolved, data, executor, { project, overwrite: options.overwrite, resume: options.resume, signal: options.signal, onNote: note }, combineReporters(reporter, tensorboardReporter(paths(project).tensorboard)));
    // As the CLI's search: analysis.json, the best model's graph for TensorBoard, report.html (modules loaded only now, as the CLI does).
    const { writeSearchOutputs } = await import('./report/outputs');
    await writeSearchOutputs(project, board, data, resolved, { report: options.report ?? true });
    return board;
  } finally {
    await executor.close();
  }
}

function withOptions(spec: ResolvedSpec, o: SearchOptions): ResolvedSpec {
  const s = spec.search;
  return {
    ...spec,
    search: { ...s, max_trials: o.maxTrials ?? s.max_trials, epochs: o.epochs ?? s.epochs, backend: o.backend ?? s.backend, workers: o.workers ?? s.workers },
  };
}

/** A saved model (export/ or best/) that predicts from raw rows; starts an engine (auto, or `backend`) if none runs. */
export async function loadPredictor(dir: string, options: { backend?: BackendChoice } = {}): Promise<Predictor> {
  await ensureEngine(options.backend ?? 'auto');
  return loadWithEngine(dir);
}
