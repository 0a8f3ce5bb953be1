/**
 * Finished trials ranked by the objective: the one ordering that picks the best trial (best/, the
 * report), hyperband's promotions and the Bayesian oracle's parents, so they never disagree.
 */
import type { Objective } from '../spec/objective';
import type { Trial } from './trial';

/**
 * Trials that finished with a finite score (completed, or stopped by the time limit with its best
 * epoch), best first; equal scores keep the earlier trial first, so the order is the same on any run.
 */
export function rankTrials(trials: readonly Trial[], objective: Objective): Trial[] {
  const sign = objective.direction === 'min' ? 1 : -1;
  return trials.filter(isRanked).sort((a, b) => sign * (a.score! - b.score!) || a.index - b.index);
}

/** The best finished trial, or undefined when none has a score. */
export const bestTrial = (trials: readonly Trial[], objective: Objective): Trial | undefined => rankTrials(trials, objective)[0];

const isRanked = (t: Trial) => (t.status === 'completed' || t.status === 'stopped') && t.score !== undefined && Number.isFinite(t.score);
