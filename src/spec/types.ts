/** The spec after validation and defaults: what the rest of automm reads. */

/** An input as written: its type's module (src/inputs) reads the rest, typed by its own schema. */
export interface InputSpec {
  type: string;
  column?: string;
  [key: string]: unknown;
}

/** A block as written: its type, its wiring, and its parameters (values or spaces). */
export interface BlockSpec {
  type: string;
  input?: string;
  inputs?: string[];
  [param: string]: unknown;
}

/** The nodes a block reads: `input` and `inputs` together (a spec that passed the schema has one). */
export const blockInputs = (b: Pick<BlockSpec, 'input' | 'inputs'>): string[] =>
  [b.input, ...(b.inputs ?? [])].filter((n): n is string => !!n);

export interface HeadSpec {
  type: 'classification' | 'regression';
  input?: string;
  column?: string;
  [key: string]: unknown;
}

export type { Objective } from './objective';
import type { Objective } from './objective';

export interface SearchSpec {
  max_trials: number;
  tuner: string;
  objective: Objective;
  epochs: number;
  batch_size: number;
  early_stopping?: { patience: number; min_delta?: number; monitor?: string };
  reduce_lr?: { factor: number; patience: number; min_lr?: number; monitor?: string };
  /** Seconds of wall clock for the whole search. */
  time_limit?: number;
  max_model_size?: number;
  /** Retrain the best configuration on training + validation data (default true). */
  refit: boolean;
  optimizer?: unknown;
  learning_rate?: unknown;
  backend: string;
  workers?: number;
  /** wasm engine threads per worker (default 1). */
  threads?: number;
}

export interface DataSpec {
  source: string | { images: string };
  rows: number;
  validation_split: number;
  validation?: string;
  test?: string;
  stratify?: string;
  on_bad_row: 'error' | 'skip';
}

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
