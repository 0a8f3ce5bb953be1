/** The spec after validation and defaults: what the rest of automm reads. */

/** An input after defaults: the union of the input modules' own types (src/inputs), told apart by `type`. */
export type { InputSpec } from '../inputs/registry';
import type { InputSpec } from '../inputs/registry';

/** A block as written: its type, its wiring, and its parameters (values or spaces). */
export type BlockSpec = WrittenBlock;

/** The nodes a block reads: `input` and `inputs` together (a spec that passed the schema has one). */
export const blockInputs = (b: Pick<BlockSpec, 'input' | 'inputs'>): string[] =>
  [b.input, ...(b.inputs ?? [])].filter((n): n is string => !!n);

/** A head as written: the union of the head modules' own types (src/heads), told apart by `type`. */
export type { HeadSpec } from '../heads/registry';
import type { HeadSpec } from '../heads/registry';

export type { Objective } from './objective';
import type { Objective } from './objective';
import type { Static } from '@sinclair/typebox';
import type { dataSchema, searchSchema, WrittenBlock } from './schema';

type WrittenSearch = Static<typeof searchSchema>;

/** The search section after defaults (the schema's type): the objective resolved, time_limit in seconds. */
export type SearchSpec = Omit<WrittenSearch, 'objective' | 'time_limit' | 'optimizer' | 'learning_rate'> &
  Required<Pick<WrittenSearch, 'max_trials' | 'tuner' | 'epochs' | 'batch_size' | 'refit' | 'backend'>> & {
    objective: Objective;
    /** Seconds of wall clock for the whole search. */
    time_limit?: number;
    /** Values or spaces, as written (see search/optimizers.ts). */
    optimizer?: unknown;
    learning_rate?: unknown;
  };

type WrittenData = Static<typeof dataSchema>;

/** The data section after defaults (the schema's type). */
export type DataSpec = WrittenData & Required<Pick<WrittenData, 'rows' | 'validation_split' | 'on_bad_row'>>;

export interface Spec {
  /** Where the spec was read from; data paths are relative to its folder. */
  file: string;
  name: string;
  seed: number;
  data: DataSpec;
  inputs: Record<string, InputSpec>;
  blocks: Record<string, BlockSpec>;
  heads: Record<string, HeadSpec>;
  /** A weight per head: a number, or a space written as in the spec ({float: [lo, hi]}, ...). */
  loss_weights: Record<string, unknown>;
  search: SearchSpec;
  /** No blocks were written: automm builds the graph (AutoKeras's AutoModel basic mode). */
  basic: boolean;
}
