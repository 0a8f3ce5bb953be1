/** Every tuner a spec may name (search.tuner): one explicit table. */
import { Oracle } from './oracle';
import { bayesianOracle } from './bayesian';
import { greedyOracle } from './greedy';
import { hyperbandOracle } from './hyperband';
import { randomOracle } from './random';

export const ORACLES: Record<string, Oracle> = {
  bayesian: bayesianOracle,
  greedy: greedyOracle,
  hyperband: hyperbandOracle,
  random: randomOracle,
};
