/**
 * What the trainer and the graph builder need from data, whatever its source (random, a table, an
 * image folder): resolved input shapes, head targets, and batches materialised on demand so a
 * dataset larger than memory never has to be held at once.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { TargetScaling } from './target-scaling';

/** An input type: a key of the input table (src/inputs/registry.ts). */
export type Modality = string;

export interface InputInfo {
  name: string;
  type: Modality;
  /** Per-example shape of the model input tensor (no batch dimension). */
  shape: number[];
  dtype: 'float32' | 'int32';
  /** Text: token ids lie in [0, vocabSize); 0 is padding, 1 is out-of-vocabulary. */
  vocabSize?: number;
  /** Per-channel (image) or per-column (structured) mean and variance of the training rows. */
  stats?: { mean: number[]; variance: number[] };
}

export interface HeadInfo {
  name: string;
  type: 'classification' | 'regression';
  /** Classification: number of classes and their names, in output order. */
  classes?: number;
  classNames?: string[];
  multiLabel?: boolean;
  /** Regression: number of outputs. */
  units?: number;
  /** Regression from a table: how targets are standardised; the trained layer outputs that, exports original units. */
  scaling?: TargetScaling;
}

export interface Batch {
  xs: Record<string, tf.Tensor>;
  ys: Record<string, tf.Tensor>;
}

export interface DataSplit {
  readonly rows: number;
  /** Rows at these positions, as tensors keyed by input name (xs) and head name (ys). */
  batch(indices: ArrayLike<number>): Promise<Batch>;
}

/** Everything export and predict need to turn raw rows into model inputs again (JSON). */
export interface Preprocessing {
  /** "random", "table" or "image-folder". */
  source: string;
  inputs: Record<string, InputInfo & Record<string, unknown>>;
  heads: Record<string, HeadInfo & Record<string, unknown>>;
  /** Tables: the saved form's version (see data/transform.ts). */
  version?: number;
  /** Tables: the training file as the spec names it, its format, and each structured column's type and why. */
  table?: { file: string; format: string; columnTypes: Record<string, { type: string; reason: string }> };
  /** Tables: rows in each part, and bad rows left out (data.on_bad_row: skip). */
  rows?: { train: number; validation: number; test?: number; skipped: number };
}

export interface PreparedData {
  inputs: Record<string, InputInfo>;
  heads: Record<string, HeadInfo>;
  train: DataSplit;
  validation: DataSplit;
  test?: DataSplit;
  preprocessing: Preprocessing;
  /** Things worth telling whoever started the run (bad rows left out), one line each. */
  notes?: string[];
  /**
   * The same data for another thread, without a copy (tables): trial workers start from it
   * (data/shared.ts) instead of reading and encoding the files again, each holding its own copy.
   */
  share?(): SharedPrepared;
}

/** Strings in shared memory: the bytes of every string, and where each ends. */
export interface SharedStrings { bytes: Uint8Array; ends: Uint32Array }

export type SharedColumn = { kind: 'floats'; data: Float32Array } | { kind: 'ints'; data: Int32Array } | { kind: 'paths'; data: SharedStrings };

/** Encoded rows (data/store.ts) as structured-clonable values over shared memory. */
export interface SharedStore {
  capacity: number;
  inputs: Array<{ info: InputInfo; width: number; source?: string; column: SharedColumn }>;
  targets: Array<{ name: string; width: number; data: Float32Array }>;
  lines: Int32Array;
  /** Each position's place for messages (file:line), kept when batches decode images and may fail. */
  places?: SharedStrings;
}

/** A split: rows of one of the shared stores, by position. */
export interface SharedSplit { store: number; positions: Int32Array }

export type SharedPrepared = Omit<PreparedData, 'train' | 'validation' | 'test' | 'share'> & {
  stores: SharedStore[];
  train: SharedSplit;
  validation: SharedSplit;
  test?: SharedSplit;
};
