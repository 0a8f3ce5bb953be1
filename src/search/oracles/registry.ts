/** Every tuner a spec may name (search.tuner): one explicit table. */
import { Oracle } from './oracle';
import { greedyOracle } from './greedy';
import { randomOracle } from './random';

export const ORACLES: Record<string, Oracle> = {
  greedy: greedyOracle,
  random: randomOracle,
};
