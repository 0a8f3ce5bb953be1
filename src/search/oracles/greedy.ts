import { HpDef, HpValue, defaultValue } from '../../spec/space';
import type { Rng } from '../../util/rng';
import { Oracle, fits, sample } from './oracle';
import { bestTrial } from '../rank';

/** A mutation that changes nothing wastes a trial: redraw a few times for a different value. */
function sampleOther(def: HpDef, current: HpValue | undefined, rng: Rng): HpValue {
  let value = sample(def, rng);
  for (let i = 0; i < 8 && value === current; i++) value = sample(def, rng);
  return value;
}

/**
 * AutoKeras's greedy tuner: the first trial is the default configuration; each later one takes the
 * best trial so far and redraws one or two of its parameters (more after duplicates).
 */
export const greedyOracle: Oracle = {
  usesHistory: true,
  propose(ctx) {
    const defaults = ctx.resolve((_, def) => defaultValue(def));
    if (ctx.index === 0 && ctx.attempt === 0) return defaults.values;
    const best = bestTrial(ctx.history, ctx.objective);
    const base = best?.values ?? defaults.values;
    const names = Object.keys({ ...defaults.space, ...(best?.space ?? {}) }).sort();
    const count = Math.min(names.length, 1 + (ctx.rng.next() < 0.3 ? 1 : 0) + Math.floor(ctx.attempt / 5));
    const mutate = new Set<string>();
    while (mutate.size < count) mutate.add(ctx.rng.pick(names));
    return ctx.resolve((name, def) => {
      if (mutate.has(name)) return sampleOther(def, base[name], ctx.rng);
      return name in base && fits(def, base[name]) ? base[name] : defaultValue(def);
    }).values;
  },
};
