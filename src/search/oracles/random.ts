import { Oracle, sample } from './oracle';

/** Every parameter drawn independently: the baseline every other tuner must beat. */
export const randomOracle: Oracle = {
  usesHistory: false,
  propose: (ctx) => ctx.resolve((_, def) => sample(def, ctx.rng)).values,
};
