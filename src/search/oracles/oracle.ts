/** The oracle contract (KerasTuner's Oracle): it proposes values; it never trains. */
import type { Picker } from '../hp';
import type { Trial } from '../trial';
import type { Objective } from '../../spec/objective';
import type { Rng } from '../../util/rng';
import type { HpDef, HpValue } from '../../spec/space';

export { fits, sample } from '../../hp/kinds';

export interface Resolved {
  values: Record<string, HpValue>;
  space: Record<string, HpDef>;
}

/**
 * Oracles that learn from history see only trials at least this many places back, so the trials
 * proposed do not depend on how many run at once: 1 and 2 workers give the same search.
 */
export const HISTORY_LAG = 2;

/** How many trials, from the first, the oracle proposing trial `index` may see. */
export const visibleHistory = (index: number): number => Math.max(0, index - HISTORY_LAG + 1);

export interface ProposalContext {
  /** The trial being proposed. */
  index: number;
  /** Retries after a duplicate: 0 first. */
  attempt: number;
  /** Seeded by (search seed, index, attempt): proposals do not depend on timing. */
  rng: Rng;
  /** Finished trials the oracle may learn from: the first visibleHistory(index) (see HISTORY_LAG). */
  history: Trial[];
  objective: Objective;
  /** Walks the spec, asking the picker for every searchable parameter it meets. */
  resolve(picker: Picker): Resolved;
  /** The spec's search.epochs and max_trials, for budgets (hyperband's brackets). */
  epochs: number;
  maxTrials: number;
}

/** What an oracle answers: values, and optionally an epoch budget (successive halving). */
export interface Proposal {
  values: Record<string, HpValue>;
  /** Epochs to train; left out, the spec's search.epochs. */
  epochs?: number;
}

export interface Oracle {
  /** Whether proposals read history; if not, trials need not wait for earlier ones. */
  readonly usesHistory: boolean;
  /** Values alone mean "the spec's epochs". Returning a trial already made is fine: the loop retries. */
  propose(ctx: ProposalContext): Record<string, HpValue> | Proposal;
}

export function asProposal(answer: Record<string, HpValue> | Proposal): Proposal {
  return 'values' in answer && typeof answer.values === 'object' && answer.values !== null ? (answer as Proposal) : { values: answer as Record<string, HpValue> };
}
