/**
 * The search loop (KerasTuner's Tuner.search): the only code that talks to both the oracle and the
 * trainer. It proposes trials in index order, runs up to `workers` at once, records each trial as
 * it ends, and saves the best.
 */
import { planGraph, Plan } from '../graph/plan';
import { resolveTrial } from '../graph/resolve';
import type { PreparedData } from '../data/source';
import type { Spec } from '../spec/types';
import { writeJsonAtomic } from '../util/atomic';
import { deriveSeed } from '../util/rng';
import type { Picker } from './hp';
import { proposeNew, trialKey } from './propose';
import { ORACLES } from './oracles/registry';
import { visibleHistory } from './oracles/oracle';
import { bestTrial } from './rank';
import { Leaderboard, bestEpochValidation, paths, writeTrial } from './project';
import { startProject } from './resume';
import { claimProject } from './project-guard';
import { finishBest } from './best';
import { Trial, trialId } from './trial';
import { SearchHalted } from './execute';
import type { Executor, Reporter } from './types';

/** KerasTuner's rule: this many failures in a row mean the spec, not the trial, is wrong. */
const MAX_CONSECUTIVE_FAILURES = 3;

export interface SearchOptions {
  project: string;
  overwrite?: boolean;
  resume?: boolean;
  /** Set to stop cleanly: no new trial starts, trials in flight finish, results are saved. */
  signal?: AbortSignal;
  /** Told things the user should know that are not errors (a stale lock replaced). */
  onNote?: (message: string) => void;
}

/** One writer per project: the search holds the project's lock from start to finish. */
export async function runSearch(spec: Spec, data: PreparedData, executor: Executor, options: SearchOptions, reporter: Reporter = {}): Promise<Leaderboard> {
  const lock = claimProject(options.project, 'search');
  if (lock.staleNote) options.onNote?.(lock.staleNote);
  try {
    return await searchProject(spec, data, executor, options, reporter);
  } finally {
    lock.release();
  }
}

async function searchProject(spec: Spec, data: PreparedData, executor: Executor, options: SearchOptions, reporter: Reporter): Promise<Leaderboard> {
  const { trials } = startProject(spec, data, options.project, options);
  const plan = planGraph(spec);
  const oracle = ORACLES[spec.search.tuner];
  const deadline = spec.search.time_limit !== undefined ? Date.now() + spec.search.time_limit * 1000 : undefined;
  const seen = new Set(trials.filter(Boolean).map(trialKey));
  const running = new Map<number, Promise<void>>();
  const board = (status: Leaderboard['status'], stopReason?: string) => leaderboard(spec, executor.backend, trials, status, stopReason);
  // `early`: the search ended before its budget (interrupted, or failing); budgets ending it is a normal finish.
  let stop: { reason: string; early: boolean } | undefined;
  // The disk refused a write: nothing more can be saved, so no refit or best/ either.
  let halted: string | undefined;
  const stopWith = (reason: string | undefined, early: boolean) => void (stop ??= reason === undefined ? undefined : { reason, early });
  options.signal?.addEventListener('abort', () => (executor.stop(), reporter.interrupted?.()), { once: true });
  reporter.start?.({ total: spec.search.max_trials, workers: executor.workers, objective: spec.search.objective, timeLimit: spec.search.time_limit, done: trials.filter((t) => t && t.status !== 'running') });

  const finished = (i: number) => trials[i] !== undefined && trials[i].status !== 'running';
  const mayPropose = (i: number) => !oracle.usesHistory || Array.from({ length: visibleHistory(i) }, (_, j) => finished(j)).every(Boolean);
  const budgetLeft = () => {
    if (options.signal?.aborted) stopWith('interrupted; resume with --resume', true);
    if (deadline !== undefined && Date.now() >= deadline) stopWith(`the time limit of ${spec.search.time_limit}s was reached`, false);
    return !stop;
  };

  let next = 0;
  while ((next < spec.search.max_trials && budgetLeft()) || running.size > 0) {
    while (budgetLeft() && next < spec.search.max_trials && running.size < executor.workers && mayPropose(next)) {
      const index = next++;
      if (finished(index)) continue;
      const trial = trials[index] ?? propose(spec, plan, oracle, index, trials, seen);
      if (!trial) { stopWith(`the search space is exhausted after ${index} trials`, false); break; }
      trials[index] = trial;
      writeTrial(options.project, trial);
      reporter.trialStarted?.(trial);
      running.set(index, execute(trial).then(() => void running.delete(index)));
    }
    if (running.size === 0) break;
    await Promise.race([...running.values(), ...(executor.capacityChanged ? [executor.capacityChanged()] : [])]);
    writeJsonAtomic(paths(options.project).leaderboard, board('running'));
    stopWith(failureStreak(trials), true);
  }
  if (trials.some((t) => t?.status === 'stopped')) stopWith(`the time limit of ${spec.search.time_limit}s was reached`, false);
  const test = options.signal?.aborted || halted ? undefined : await finishBest(spec, data, options.project, trials, executor, reporter, deadline);
  const final = board(stop?.early ? 'stopped' : 'finished', stop?.reason);
  if (test) final.test = test;
  writeJsonAtomic(paths(options.project).leaderboard, final);
  if (halted) throw new SearchHalted(`${halted}; the search stopped with nothing half-written. Free space (or make the folder writable), then \`--resume\` retrains what was not saved`);
  reporter.finish?.(final);
  return final;

  async function execute(trial: Trial): Promise<void> {
    const { halt, ...outcome } = await executor.run({ id: trial.id, index: trial.index, seed: trial.seed, values: trial.values, epochs: trial.epochs, deadline }, reporter);
    Object.assign(trial, outcome);
    if (halt) (halted ??= halt, stopWith(halt, true), executor.stop());
    writeTrial(options.project, trial);
    reporter.trialEnded?.(trial);
  }
}

function propose(spec: Spec, plan: Plan, oracle: (typeof ORACLES)[string], index: number, trials: Trial[], seen: Set<string>): Trial | undefined {
  const resolve = (picker: Picker) => resolveTrial(spec, plan, picker);
  const proposed = proposeNew({ oracle, seed: spec.seed, index, trials, objective: spec.search.objective, resolve, epochs: spec.search.epochs, maxTrials: spec.search.max_trials }, seen);
  if (!proposed) return undefined;
  const { values, epochs } = proposed;
  const { space } = resolve((name) => values[name]);
  return { id: trialId(index), index, values, space, seed: deriveSeed(spec.seed, 'trial', index), epochs, status: 'running', history: [], startedAt: new Date().toISOString() };
}

function failureStreak(trials: Trial[]): string | undefined {
  const done = trials.filter((t) => t && t.status !== 'running');
  const last = done.slice(-MAX_CONSECUTIVE_FAILURES);
  if (last.length < MAX_CONSECUTIVE_FAILURES || last.some((t) => t.status !== 'failed')) return undefined;
  return `3 trials failed in a row; the last error: ${last[last.length - 1].message}`;
}

function leaderboard(spec: Spec, backend: string, trials: Trial[], status: Leaderboard['status'], stopReason?: string): Leaderboard {
  const best = bestTrial(trials.filter(Boolean), spec.search.objective);
  return {
    name: spec.name,
    objective: spec.search.objective,
    backend,
    status,
    stopReason,
    best: best?.id,
    trials: trials.filter(Boolean).map((t) => ({
      id: t.id, index: t.index, status: t.status, score: t.score, bestEpoch: t.bestEpoch, epochs: t.epochs, params: t.params,
      durationMs: t.durationMs, message: t.message, values: t.values, validation: bestEpochValidation(t),
    })),
  };
}

