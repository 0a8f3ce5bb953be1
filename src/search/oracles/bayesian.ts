/**
 * Bayesian optimisation, as KerasTuner's BayesianOptimizationOracle: a few random trials, then a
 * Gaussian process fitted to the finished ones and, among a few hundred candidates, the one with the
 * highest expected improvement. Candidates are random draws (exploration, as Spearmint) plus
 * perturbations of the best trials (local search, as SMAC); each is drawn through ctx.resolve, so
 * conditional parameters are only ever asked for when their parent choice is taken.
 */
import { valuesKey } from '../hp';
import { rankTrials } from '../rank';
import type { Trial } from '../trial';
import type { HpDef, HpValue } from '../../spec/space';
import type { Rng } from '../../util/rng';
import { Oracle, ProposalContext, fits, sample } from './oracle';
import { decode, encode, encodePoint } from './encoding';
import { expectedImprovement, fitGp } from './gaussian-process';

/** KerasTuner starts from 3 random points; a larger search can afford a quarter of its trials (capped). */
const initialTrials = (maxTrials: number) => Math.max(3, Math.min(10, Math.floor(maxTrials / 4)));
const RANDOM_CANDIDATES = 300;
const LOCAL_CANDIDATES = 100;
/** Local candidates start from this many of the best trials. */
const PARENTS = 3;
/** How far a perturbed coordinate moves (in [0, 1]) and how often each parameter is touched. */
const STEP = 0.15;
const MUTATION_RATE = 0.3;
/** A surface fitted to fewer points than this is a guess: keep drawing at random. */
const MIN_OBSERVED = 3;
/** After this many duplicates the surrogate keeps suggesting trials already made: draw at random. */
const MAX_GUIDED_ATTEMPTS = 10;

type Values = Record<string, HpValue>;

const random = (ctx: ProposalContext) => ctx.resolve((_, def) => sample(def, ctx.rng)).values;

/** Only completed trials with a finite score teach the surrogate; failures say nothing about the objective. */
const observed = (history: Trial[]) => history.filter((t) => t && t.status === 'completed' && Number.isFinite(t.score));

export const bayesianOracle: Oracle = {
  usesHistory: true,
  propose(ctx) {
    const done = observed(ctx.history);
    if (ctx.index < initialTrials(ctx.maxTrials) || done.length < MIN_OBSERVED || ctx.attempt >= MAX_GUIDED_ATTEMPTS) return random(ctx);
    // The GP maximises: a loss is negated.
    const sign = ctx.objective.direction === 'min' ? -1 : 1;
    const gp = fitGp(done.map((t) => encodePoint(t.values, t.space)), done.map((t) => sign * t.score!));
    if (!gp) return random(ctx);
    const tried = new Set(ctx.history.filter(Boolean).map((t) => valuesKey(t.values)));
    const parents = rankTrials(done, ctx.objective).slice(0, PARENTS);
    let best: { values: Values; ei: number } | undefined;
    for (let i = 0; i < RANDOM_CANDIDATES + LOCAL_CANDIDATES; i++) {
      const parent = i < RANDOM_CANDIDATES ? undefined : parents[i % parents.length].values;
      const { values, space } = ctx.resolve(parent ? (name, def) => perturb(def, parent[name], ctx.rng) : (_, def) => sample(def, ctx.rng));
      if (tried.has(valuesKey(values))) continue;
      const ei = expectedImprovement(gp.predict(encodePoint(values, space)), gp.best);
      if (!best || ei > best.ei) best = { values, ei };
    }
    return best?.values ?? random(ctx);
  },
};

/** A parent's value, moved a little now and then; a parameter the parent lacked is drawn fresh. */
function perturb(def: HpDef, value: HpValue | undefined, rng: Rng): HpValue {
  if (value === undefined || !fits(def, value)) return sample(def, rng);
  if (rng.next() >= MUTATION_RATE) return value;
  if (def.kind === 'boolean') return !value;
  const code = encode(def, value);
  if (typeof code !== 'number') return sample(def, rng);
  return decode(def, code + STEP * rng.normal()) ?? value;
}
