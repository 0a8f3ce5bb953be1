/** A trial as plain data (KerasTuner's Trial): what was tried, how it went, what it scored. */
import type { HpDef, HpValue } from '../spec/space';

/** stopped: cut by the time limit, keeping its best epoch; skipped: too large to train. */
export type TrialStatus = 'running' | 'completed' | 'stopped' | 'failed' | 'skipped';

export type EpochLogs = Record<string, number>;

export interface Trial {
  id: string;
  index: number;
  values: Record<string, HpValue>;
  space: Record<string, HpDef>;
  seed: number;
  /** The epoch budget this trial was given (oracles such as hyperband vary it). */
  epochs: number;
  status: TrialStatus;
  /** Objective at the best epoch; undefined until completed. */
  score?: number;
  bestEpoch?: number;
  /** One entry per epoch: loss, <head>_loss, <head>_<metric> and their val_ versions. */
  history: EpochLogs[];
  params?: number;
  message?: string;
  startedAt?: string;
  durationMs?: number;
  backend?: string;
  /** host:pid of the queue worker that trained it (distributed searches only). */
  worker?: string;
}

export const trialId = (index: number) => `trial_${String(index).padStart(3, '0')}`;

export function isBetter(a: number, b: number | undefined, direction: 'min' | 'max'): boolean {
  if (b === undefined || Number.isNaN(b)) return !Number.isNaN(a);
  return direction === 'min' ? a < b : a > b;
}
