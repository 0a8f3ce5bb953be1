/**
 * The contract every head implements: fixed settings (classes, loss, metrics), searchable
 * parameters, its output layer, its loss and its metrics.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Static, TSchema } from '@sinclair/typebox';
import type { BuildContext, Params, Sym } from '../blocks/block';
import type { HeadInfo } from '../data/source';
import type { ParamDef } from '../spec/space';

export type LossOrMetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

export interface MetricDef {
  /** As written in specs and histories: `val_<head>_<name>`. */
  name: string;
  fn: LossOrMetricFn;
  /** Which way is better, for objectives that name this metric. */
  direction: 'min' | 'max';
}

/**
 * What a head's methods read of its spec entry: the node it reads, the column it predicts, its
 * settings (each typed by its schema) and its parameters (values or spaces). schema.ts's headSchema
 * makes the JSON Schema of the same keys.
 */
export type HeadEntry<S extends Record<string, TSchema> = Record<string, TSchema>> = {
  input?: string;
  column?: string;
} & { [K in keyof S]?: Static<S[K]> } & { [param: string]: unknown };

/** A head as a spec writes it: its type and its entry. */
export type WrittenHead<T extends string, S extends Record<string, TSchema>> = { type: T } & HeadEntry<S>;

/** T: the head's type; S: its settings' schemas, which type what its methods read of the spec. */
export interface HeadDef<T extends string = string, S extends Record<string, TSchema> = Record<string, TSchema>> {
  readonly type: T;
  readonly doc: string;
  /** Keys a spec sets once (classes, loss, metrics, units, ...), beside input/column. */
  readonly settings: S;
  /** Searchable parameters (dropout before the output layer). */
  readonly params: Record<string, ParamDef>;
  /** Whole-set scores logged for validation and test rows (`val_<head>_<score>`), see scores.ts. */
  readonly scores: readonly string[];
  /** What the head predicts, from its spec entry (random data) or refined by a data source. */
  info(name: string, written: HeadEntry<S>): HeadInfo;
  /** The output layer; it is named exactly ctx.name, the head's name, so outputs keep spec names. */
  build(ctx: BuildContext, input: Sym, info: HeadInfo, params: Params): Sym;
  /** The per-example loss as a scalar mean over the batch. */
  loss(info: HeadInfo, written: HeadEntry<S>): MetricDef;
  metrics(info: HeadInfo, written: HeadEntry<S>): MetricDef[];
  /**
   * Settings that pass the schema but not each other (a softmax loss on a one-unit sigmoid output),
   * one message each, for validation to report with the head's location; loss() throws the first.
   */
  problems?(info: HeadInfo, written: HeadEntry<S>): string[];
}
