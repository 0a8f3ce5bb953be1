/**
 * Hyperband (Li et al., JMLR 2018; KerasTuner's HyperbandOracle): brackets of successive halving.
 * Bracket s starts n configurations at max_epochs / 3^s epochs; after each round the best third are
 * trained again with 3 times the epochs, up to max_epochs (the spec's search.epochs). Brackets run from
 * the most exploratory (many short trials) to s = 0 (plain random search at full epochs), and repeat.
 *
 * Differences from the paper, both forced by the loop: the budget is max_trials, not epochs, so the
 * brackets are shrunk to fit it; and a promoted trial trains again from scratch (no checkpoint is
 * handed over), as in the paper's original form rather than KerasTuner's.
 *
 * The plan depends only on (max_trials, epochs), so trial i is always the same slot; which
 * configuration a promotion takes depends only on the history visible at i, so the search does not
 * depend on how many trials run at once.
 */
import type { Trial } from '../trial';
import type { Objective } from '../../spec/objective';
import type { HpValue } from '../../spec/space';
import { rankTrials } from '../rank';
import { HISTORY_LAG, Oracle, fits, sample } from './oracle';

/** Li et al.'s eta and KerasTuner's default: keep the best third, train it three times longer. */
export const FACTOR = 3;
/**
 * The plan leaves HISTORY_LAG places between a round and the promotions that rank it; a different
 * lag costs efficiency, never correctness (see `promoted`).
 */
const LAG = HISTORY_LAG;

/** One trial of the plan: its epochs, and for a promotion the trials it ranks and which place it takes. */
export interface Slot {
  epochs: number;
  /** Indices of the previous round of the same bracket; empty for a new configuration. */
  from: number[];
  /** 0: the best of `from`, 1: the second best, ... */
  rank: number;
}

interface Round {
  count: number;
  epochs: number;
}

/** Bracket s with n configurations at first: n, n/3, n/9, ... trials (at least 1), epochs up to the max. */
function rounds(s: number, n: number, maxEpochs: number): Round[] {
  return Array.from({ length: s + 1 }, (_, i) => ({
    count: Math.max(1, Math.floor(n / FACTOR ** i)),
    epochs: i === s ? maxEpochs : Math.max(1, Math.round(maxEpochs / FACTOR ** (s - i))),
  }));
}

const size = (bracket: Round[]) => bracket.reduce((sum, r) => sum + r.count, 0);

/**
 * Brackets s = s_max ... 0, repeated, until max_trials are planned. A bracket that does not fit starts
 * fewer configurations, but never so few that a round promotes its only trial (a trial spent without
 * a choice: better a shallower bracket); and one with s rounds to wait for leaves s trials after it
 * for later brackets to fill the waits with.
 */
function brackets(maxTrials: number, maxEpochs: number): Round[][] {
  let sMax = 0;
  while (FACTOR ** (sMax + 1) <= maxEpochs) sMax++;
  const planned: Round[][] = [];
  let left = maxTrials;
  for (let s = sMax; left > 0; s = s === 0 ? sMax : s - 1) {
    const reserve = s * (LAG - 1);
    let n = Math.ceil(((sMax + 1) / (s + 1)) * FACTOR ** s);
    while (n > 1 && size(rounds(s, n, maxEpochs)) + reserve > left) n--;
    if (size(rounds(s, n, maxEpochs)) + reserve > left || (s > 0 && n < 2 * FACTOR ** (s - 1))) continue;
    planned.push(rounds(s, n, maxEpochs));
    left -= size(planned[planned.length - 1]);
  }
  return planned;
}

/**
 * Orders every bracket's trials into one sequence: at each place, the first trial (in bracket order)
 * whose previous round ended at least LAG places earlier; where none can, the first waiting one (it
 * will see its round unfinished and start a new configuration instead).
 */
export function planHyperband(maxTrials: number, maxEpochs: number): Slot[] {
  const plan = brackets(maxTrials, maxEpochs);
  const next = plan.map(() => ({ round: 0, rank: 0 }));
  const placed = plan.map((b) => b.map(() => [] as number[]));
  const slots: Slot[] = [];
  const pending = (b: number) => next[b].round < plan[b].length;
  const ready = (b: number) => pending(b) && (next[b].round === 0 || Math.max(...placed[b][next[b].round - 1]) <= slots.length - LAG);
  while (slots.length < maxTrials) {
    let b = plan.findIndex((_, i) => ready(i));
    if (b < 0) b = plan.findIndex((_, i) => pending(i));
    const { round, rank } = next[b];
    slots.push({ epochs: plan[b][round].epochs, from: round === 0 ? [] : placed[b][round - 1], rank: round === 0 ? 0 : rank });
    placed[b][round].push(slots.length - 1);
    next[b] = rank + 1 < plan[b][round].count ? { round, rank: rank + 1 } : { round: round + 1, rank: 0 };
  }
  return slots;
}

/** The configuration a promotion trains longer, or undefined where its round is not all visible yet. */
function promoted(slot: Slot, history: Trial[], objective: Objective, attempt: number): Record<string, HpValue> | undefined {
  const byIndex = new Map(history.filter(Boolean).map((t) => [t.index, t]));
  const round = slot.from.map((i) => byIndex.get(i));
  if (round.some((t) => !t || t.status === 'running')) return undefined;
  // A duplicate (the same values already trained this long) moves down the ranking.
  return rankTrials(round as Trial[], objective)[slot.rank + attempt]?.values;
}

export const hyperbandOracle: Oracle = {
  usesHistory: true,
  propose(ctx) {
    // Past the plan (only if asked beyond max_trials): random search at full epochs, Hyperband's s = 0.
    const slot = planHyperband(ctx.maxTrials, ctx.epochs)[ctx.index] ?? { epochs: ctx.epochs, from: [], rank: 0 };
    const base = slot.from.length > 0 ? promoted(slot, ctx.history, ctx.objective, ctx.attempt) : undefined;
    const values = ctx.resolve((name, def) => (base && name in base && fits(def, base[name]) ? base[name] : sample(def, ctx.rng))).values;
    return { values, epochs: slot.epochs };
  },
};
