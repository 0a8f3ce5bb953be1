/**
 * The search's shared types: what a progress display is told (Reporter) and where trials run
 * (Executor). Their own module, so run.ts (the loop) and best.ts (the refit, which run.ts calls)
 * both use the one definition without importing each other.
 */
import type { Spec } from '../spec/types';
import type { Leaderboard } from './project';
import type { EpochLogs, Trial } from './trial';
import type { TrialJob, TrialOutcome } from './execute';

/** What a progress display is told when the search starts. */
export interface SearchStartInfo {
  total: number;
  workers: number;
  objective: Spec['search']['objective'];
  /** Seconds (search.time_limit), when there is one. */
  timeLimit?: number;
  /** Trials already finished (a resumed search). */
  done: Trial[];
}

/**
 * Progress events of a search. Epoch and batch events name the trial by index; the refit's carry
 * REFIT_INDEX (search/best.ts) between refitStarted and refitEnded.
 */
export interface Reporter {
  start?(info: SearchStartInfo): void;
  trialStarted?(trial: Trial): void;
  /** `worker`: host:pid of the process training the trial, when it is not this one (a queue worker). */
  batch?(index: number, epoch: number, batch: number, batches: number, worker?: string): void;
  epoch?(index: number, epoch: number, logs: EpochLogs, worker?: string): void;
  trialEnded?(trial: Trial): void;
  /** The user asked to stop: trials in flight finish their epoch, nothing new starts. */
  interrupted?(): void;
  refitStarted?(info: { trial: string; epochs: number }): void;
  refitEnded?(record: RefitRecord): void;
  finish?(board: Leaderboard): void;
}

/** Where trials run: in this thread or in a pool of workers, each with its own engine. */
export interface Executor {
  readonly workers: number;
  readonly backend: string;
  run(job: TrialJob, reporter: Reporter): Promise<TrialOutcome>;
  /** Resolves when `workers` may have changed (queue workers come and go), so more trials can start. */
  capacityChanged?(): Promise<void>;
  /** Asks trials in flight to stop at their next epoch boundary. */
  stop(): void;
  close(): Promise<void>;
}

/**
 * The refit's record: its epochs, its final logs (val_ on the held-back half of the validation
 * rows), how it went, and whether best/ holds it (a failed or worse refit keeps the trial's model).
 */
export interface RefitRecord {
  trial: string;
  epochs: number;
  status: Trial['status'];
  logs?: Record<string, number>;
  /** Every epoch's logs, for learning curves and TensorBoard. */
  history?: Array<Record<string, number>>;
  message?: string;
  /** The objective on the held-back rows: the refit model's and the trial's own. */
  heldBack?: { metric: string; refit: number; trial: number };
  /** false: the refit scored worse than the trial on the held-back rows, so best/ holds the trial's model. */
  kept?: boolean;
}
