/**
 * Asking an oracle for the next trial, as the search loop does it and as tests replay it: the
 * history it sees lags (visibleHistory, so 1 and 2 workers propose alike), each attempt has its own
 * seeded rng, and a proposal already made (same values, same epochs: KerasTuner hashes the values)
 * is retried with the next attempt.
 */
import type { Objective } from '../spec/objective';
import { deriveSeed, makeRng } from '../util/rng';
import type { Picker } from './hp';
import { valuesKey } from './hp';
import { asProposal, Oracle, Resolved, visibleHistory } from './oracles/oracle';
import type { Trial } from './trial';
import type { HpValue } from '../spec/space';

/** Attempts before a space counts as exhausted. */
export const MAX_DUPLICATE_RETRIES = 50;

/** Values and epochs: what makes two trials the same. */
export const trialKey = (t: Pick<Trial, 'values' | 'epochs'>) => `${valuesKey(t.values)}@${t.epochs}`;

export interface ProposeArgs {
  oracle: Oracle;
  /** The search's seed. */
  seed: number | string;
  index: number;
  /** Every trial so far (by index); the oracle sees the visible part only. */
  trials: Trial[];
  objective: Objective;
  resolve(picker: Picker): Resolved;
  epochs: number;
  maxTrials: number;
}

/** The next new trial's values and epochs (added to `seen`), or undefined once the space is exhausted. */
export function proposeNew(args: ProposeArgs, seen: Set<string>): { values: Record<string, HpValue>; epochs: number } | undefined {
  const { oracle, index } = args;
  const history = oracle.usesHistory ? args.trials.slice(0, visibleHistory(index)) : [];
  for (let attempt = 0; attempt < MAX_DUPLICATE_RETRIES; attempt++) {
    const rng = makeRng(deriveSeed(args.seed, 'propose', index, attempt));
    const { values, epochs = args.epochs } = asProposal(
      oracle.propose({ index, attempt, rng, history, objective: args.objective, resolve: args.resolve, epochs: args.epochs, maxTrials: args.maxTrials }),
    );
    const key = trialKey({ values, epochs });
    if (seen.has(key)) continue;
    seen.add(key);
    return { values, epochs };
  }
  return undefined;
}
