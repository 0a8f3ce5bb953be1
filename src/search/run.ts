/**
 * The search loop (KerasTuner's Tuner.search): the only code that talks to both the oracle and the
 * trainer. It proposes trials in index order, runs up to `workers` at once, records each trial as
 * it ends, and saves the best.
 */
import * as fs from 'node:fs';
import { planGraph, Plan } from '../graph/plan';
import { resolveTrial } from '../graph/resolve';
import type { PreparedData } from '../data/source';
import type { Spec } from '../spec/types';
import { writeJsonAtomic, readJson, replaceDirAtomic } from '../util/atomic';
import { deriveSeed, makeRng } from '../util/rng';
import { valuesKey } from './hp';
import { ORACLES } from './oracles/registry';
import { asProposal, bestTrial } from './oracles/oracle';
import { Leaderboard, ProjectError, bestEpochValidation, paths, writeTrial } from './project';
import { Trial, trialId } from './trial';
import type { TrialJob, TrialOutcome } from './execute';
import type { EpochLogs } from './trial';

/**
 * Oracles that learn from history see only trials at least this many places back, so the trials
 * proposed do not depend on how many run at once: 1 and 2 workers give the same search.
 */
export const HISTORY_LAG = 2;
/** Retries before a space counts as exhausted: every proposal was a trial already made. */
const MAX_DUPLICATE_RETRIES = 50;
/** KerasTuner's rule: this many failures in a row mean the spec, not the trial, is wrong. */
const MAX_CONSECUTIVE_FAILURES = 3;

export interface Reporter {
  start?(info: { total: number; workers: number }): void;
  trialStarted?(trial: Trial): void;
  batch?(index: number, epoch: number, batch: number, batches: number): void;
  epoch?(index: number, epoch: number, logs: EpochLogs): void;
  trialEnded?(trial: Trial): void;
  finish?(board: Leaderboard): void;
}

/** Where trials run: in this thread or in a pool of workers, each with its own engine. */
export interface Executor {
  readonly workers: number;
  readonly backend: string;
  run(job: TrialJob, reporter: Reporter): Promise<TrialOutcome>;
  close(): Promise<void>;
}

export interface SearchOptions {
  project: string;
  overwrite?: boolean;
}

export async function runSearch(spec: Spec, data: PreparedData, executor: Executor, options: SearchOptions, reporter: Reporter = {}): Promise<Leaderboard> {
  prepareProject(spec, data, options);
  const plan = planGraph(spec);
  const oracle = ORACLES[spec.search.tuner];
  const trials: Trial[] = [];
  const seen = new Set<string>();
  const running = new Map<number, Promise<void>>();
  const board = (status: Leaderboard['status'], stopReason?: string) => leaderboard(spec, executor.backend, trials, status, stopReason);
  let stopReason: string | undefined;
  reporter.start?.({ total: spec.search.max_trials, workers: executor.workers });

  const finished = (i: number) => trials[i] !== undefined && trials[i].status !== 'running';
  const mayPropose = (i: number) => !oracle.usesHistory || trials.slice(0, Math.max(0, i - HISTORY_LAG + 1)).every((_, j) => finished(j));

  let next = 0;
  while ((next < spec.search.max_trials && !stopReason) || running.size > 0) {
    while (!stopReason && next < spec.search.max_trials && running.size < executor.workers && mayPropose(next)) {
      const trial = propose(spec, plan, oracle, next, trials, seen);
      if (!trial) { stopReason = `the search space is exhausted after ${next} trials`; break; }
      trials[next] = trial;
      writeTrial(options.project, trial);
      reporter.trialStarted?.(trial);
      const index = next++;
      running.set(index, execute(trial).then(() => void running.delete(index)));
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
    writeJsonAtomic(paths(options.project).leaderboard, board('running'));
    stopReason ??= failureStreak(trials);
  }
  await saveBest(spec, options.project, trials);
  const final = board(stopReason?.startsWith('3 trials failed') ? 'stopped' : 'finished', stopReason);
  writeJsonAtomic(paths(options.project).leaderboard, final);
  reporter.finish?.(final);
  return final;

  async function execute(trial: Trial): Promise<void> {
    const outcome = await executor.run({ id: trial.id, index: trial.index, seed: trial.seed, values: trial.values, epochs: trial.epochs }, reporter);
    Object.assign(trial, outcome);
    writeTrial(options.project, trial);
    reporter.trialEnded?.(trial);
  }
}

function propose(spec: Spec, plan: Plan, oracle: (typeof ORACLES)[string], index: number, trials: Trial[], seen: Set<string>): Trial | undefined {
  const history = oracle.usesHistory ? trials.slice(0, Math.max(0, index - HISTORY_LAG + 1)) : [];
  for (let attempt = 0; attempt < MAX_DUPLICATE_RETRIES; attempt++) {
    const rng = makeRng(deriveSeed(spec.seed, 'propose', index, attempt));
    const { values, epochs = spec.search.epochs } = asProposal(
      oracle.propose({ index, attempt, rng, history, objective: spec.search.objective, resolve: (picker) => resolveTrial(spec, plan, picker), epochs: spec.search.epochs, maxTrials: spec.search.max_trials }),
    );
    const key = `${valuesKey(values)}@${epochs}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const { space } = resolveTrial(spec, plan, (name) => values[name]);
    const id = trialId(index);
    return { id, index, values, space, seed: deriveSeed(spec.seed, 'trial', index), epochs, status: 'running', history: [], startedAt: new Date().toISOString() };
  }
  return undefined;
}

function failureStreak(trials: Trial[]): string | undefined {
  const done = trials.filter((t) => t && t.status !== 'running');
  const last = done.slice(-MAX_CONSECUTIVE_FAILURES);
  if (last.length < MAX_CONSECUTIVE_FAILURES || last.some((t) => t.status !== 'failed')) return undefined;
  return `3 trials failed in a row; the last error: ${last[last.length - 1].message}`;
}

function prepareProject(spec: Spec, data: PreparedData, options: SearchOptions): void {
  const p = paths(options.project);
  if (fs.existsSync(p.leaderboard) || fs.existsSync(p.trials)) {
    if (!options.overwrite) {
      throw new ProjectError(`${options.project} already holds a search; pass --overwrite to start again there (its trials are deleted), or --out to write elsewhere`);
    }
    fs.rmSync(options.project, { recursive: true, force: true });
  }
  fs.mkdirSync(p.trials, { recursive: true });
  writeJsonAtomic(p.spec, spec);
  writeJsonAtomic(p.preprocessing, data.preprocessing);
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
      id: t.id, index: t.index, status: t.status, score: t.score, bestEpoch: t.bestEpoch, params: t.params,
      durationMs: t.durationMs, message: t.message, values: t.values, validation: bestEpochValidation(t),
    })),
  };
}

/** best/ holds the best trial's model, its trial record and the preprocessing, ready for export. */
async function saveBest(spec: Spec, project: string, trials: Trial[]): Promise<void> {
  const best = bestTrial(trials.filter(Boolean), spec.search.objective);
  if (!best) return;
  const p = paths(project);
  await replaceDirAtomic(p.best, async (dir) => {
    fs.cpSync(p.trialModel(best.id), dir, { recursive: true });
    writeJsonAtomic(`${dir}/trial.json`, readJson(p.trialJson(best.id)));
    fs.copyFileSync(p.preprocessing, `${dir}/preprocessing.json`);
    fs.copyFileSync(p.spec, `${dir}/spec.json`);
  });
}
