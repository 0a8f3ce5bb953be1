/**
 * What one input type is, in one object (Ludwig's feature modules, as an explicit table here): its
 * spec schema and defaults, the table columns it reads, the per-row check of the scan, what it
 * learns from training rows, how saved state encodes a row (training, predict, serve and the
 * browser alike), how it is stored, random data for it, and the block basic mode gives it.
 *
 * Modules implementing this import pure code only: the browser bundle reaches them through the
 * row encoders. Files (image decoding) are the data pipeline's, chosen by `storage`.
 */
import type { TObject } from '@sinclair/typebox';
import type { Inference } from '../data/infer';
import type { InputInfo } from '../data/source';
import type { EncodeProblem } from '../data/structured';
import type { Rng } from '../util/rng';

/**
 * What every input type's written spec has in common: the bound of InputDef's type parameters, and
 * what the table (which holds every type) sees. The spec's InputSpec is the union of the types'
 * own (registry.ts), narrowed by `type`.
 */
export interface WrittenInput {
  type: string;
  column?: string;
  [key: string]: unknown;
}

/** A type's learned state, as preprocessing.json holds it (S: the state a type's own module defines). */
export type LearnedState = Record<string, unknown>;

/** What preprocessing.json holds for an input: its info plus its learned state. */
export type SavedInput<S extends LearnedState = LearnedState> = InputInfo & S;

export interface InputLearner<S extends LearnedState = LearnedState> {
  /** One training row's cells, in the order `columns` named them (the array is reused for the next row: keep none of it). */
  add(cells: readonly unknown[]): void;
  /** The learned state (saved in preprocessing.json beside the info). */
  fit(): S;
}

export interface ValueWriter {
  /** The cells it reads, in order. */
  columns: string[];
  /** Numbers per row. */
  width: number;
  /** Writes one row at out[at...] (slots must be zero); a problem names the cell it could not read. */
  write(values: readonly unknown[], out: Float32Array | Int32Array, at: number): EncodeProblem | undefined;
}

/** Random data for one input: rows of `shape`, each carrying the hidden signal z[row]. */
export interface SynthColumn {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
  /** Info fields beyond name, type, shape and dtype (vocabSize). */
  extras?: Partial<InputInfo>;
}

/**
 * W: the input as the spec writes it (its schema's static type); D: after its defaults, what every
 * method but withDefaults reads; S: what it learns from the training rows.
 */
export interface InputDef<W extends WrittenInput = WrittenInput, D extends W = W, S extends LearnedState = LearnedState> {
  type: W['type'];
  /** One line for the README and `automm schema`. */
  doc: string;
  /** A small input of this type as a spec writes it (random data): the tests build every type from it. */
  example: W;
  /** The spec's schema of this input: an object whose `type` is this type's literal; W is its static type. */
  schema: TObject;
  /** The written input with its defaults filled in (without it, D is W). */
  withDefaults?(written: W): D;
  /** The shape of one example the model sees, from the spec alone ("rest" counts one column): resources.ts sizes batches with it. */
  exampleShape(written: D): number[];
  /** The spec key that sets that size, named when one batch would be too large. */
  sizeKey: string;
  /** The table columns it reads ('rest': every column nothing else reads); `problem` refuses the spec. */
  columns(name: string, written: D, problem: (message: string) => void): string[] | 'rest';
  /** Whether the scan profiles its columns to infer numerical or categorical (structured inputs). */
  profiled?: boolean;
  /** The scan's check of one row's cells (bad rows are reported, or skipped with on_bad_row: skip); the cells array is reused for the next row. */
  check?(cells: readonly unknown[], columns: readonly string[], written: D): EncodeProblem[];
  /** 'values': numbers written by `writer`; 'image-files': paths, decoded per batch by the pipeline. */
  storage: 'values' | 'image-files';
  /** Statistics of the stored training rows for normalisation layers: per value, per image channel, or none. */
  stats: 'values' | 'images' | 'none';
  /** What it learns from the training rows' cells; `types` holds the columns' decided types. */
  learner(written: D, columns: string[], types: Map<string, Inference>): InputLearner<S>;
  /** preprocessing.json's entry: info (shape, dtype) and the learned state. */
  saved(name: string, written: D, state: S): SavedInput<S>;
  /** The columns a saved input reads. */
  savedColumns(saved: SavedInput<S>): string[];
  /** Value inputs: the encoder built from the saved state alone (training rows and predictions alike). */
  writer?(saved: SavedInput<S>): ValueWriter;
  /** What the model sees, from the spec alone (validate's symbolic build; unit statistics; "rest" counts one column). */
  specInfo(name: string, written: D): InputInfo;
  /** Random data shaped by the spec. */
  synth(written: D, z: readonly number[], rng: Rng): SynthColumn;
  /** JSON a server request may hold in one of its columns (`description`: what a refusal says was expected). */
  cellSchema?: object;
  /** The block basic mode puts on this input (a block spec without its `input`). */
  basicBlock(written: D): { type: string; [param: string]: unknown };
}

/** Mean 0 and variance 1 per channel: statistics for a model built before any data is read. */
export const unitStats = (channels: number) => ({ mean: Array<number>(channels).fill(0), variance: Array<number>(channels).fill(1) });

/**
 * One input type's definition with its own types kept (W: its module's Static<typeof schema>, D, S),
 * for the registry's InputSpec union; the INPUTS table itself holds every type as InputDef.
 */
export const defineInput = <W extends WrittenInput, D extends W = W, S extends LearnedState = LearnedState>(def: InputDef<W, D, S>): InputDef<W, D, S> => def;
