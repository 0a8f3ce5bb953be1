/**
 * The data side of a head type (Ludwig's output features): the scan's check of a target cell, what
 * is learned from the training targets, how a cell becomes the target the model trains on, random
 * targets, and how the model's output becomes a prediction. One module per head type, in one table
 * (registry.ts). Pure code only: the browser bundle decodes predictions with it.
 */
import type { HeadInfo } from '../../data/source';
import type { EncodeProblem } from '../../data/structured';
import type { Rng } from '../../util/rng';

export interface TargetLearner {
  add(value: unknown): void;
  /** The state, or a message saying why the column cannot be this head's target. */
  fit(): object | string;
}

export interface TargetEncoder {
  readonly width: number;
  write(value: unknown, out: Float32Array, at: number): EncodeProblem | undefined;
}

export interface ClassPrediction {
  /** The most probable class; multi-label: every class above 0.5, joined with "|". */
  label: string;
  /** Multi-label only: the classes above 0.5. */
  labels?: string[];
  /** Every class's probability, by class name, in output order. */
  probabilities: Record<string, number>;
}

export interface ValuePrediction {
  value: number;
  /** Heads with several outputs: all of them. */
  values?: number[];
}

/** Random targets for one head: rows of `shape`, decided by the hidden signal z[row]. */
export interface TargetColumn {
  shape: number[];
  dtype: 'float32';
  data: Float32Array;
}

export interface HeadData {
  /** The scan's check of one target cell: a problem message (the row is bad), or undefined. */
  check(value: unknown, written: Record<string, unknown>): string | undefined;
  learner(column: string, written: Record<string, unknown>): TargetLearner;
  /** `split` names the rows in messages about classes the training rows never had. */
  encoder(state: object, split: string): TargetEncoder;
  /**
   * Numbers per row the model's output (and its target) has: the one rule, which the encoder, the
   * store, the output layer and the trainer's scoring all read.
   */
  width(info: HeadInfo): number;
  info(name: string, state: object): HeadInfo;
  synth(info: HeadInfo, z: readonly number[], rng: Rng): TargetColumn;
  /** One row of the model's output for this head, as a prediction. */
  decode(info: HeadInfo, output: number[]): ClassPrediction | ValuePrediction;
}
