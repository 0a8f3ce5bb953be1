/**
 * Random data shaped by a spec, for smoke tests and CI. Not pure noise: every row has a hidden
 * signal z that shows in every input (image brightness, the first numeric columns, which tokens
 * occur) and decides every target, so a working model learns and a broken one does not.
 */
import * as tf from '@tensorflow/tfjs-core';
import { gatherRows } from './gather';
import type { Spec, InputSpec } from '../spec/types';
import { HEADS } from '../heads/registry';
import { headData } from '../heads/data/registry';
import { makeRng, deriveSeed, Rng } from '../util/rng';
import type { Batch, DataSplit, HeadInfo, InputInfo, PreparedData } from './source';
import { ChannelMoments, Moments } from './moments';
import { inputDef } from '../inputs/registry';

/** Rows in memory, row-major: random data's columns, and cached backbone features (pretrained/features.ts). */
export interface Column {
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

export function synthesize(spec: Spec, rows = spec.data.rows): PreparedData {
  const rng = makeRng(deriveSeed(spec.seed, 'data'));
  const z = Array.from({ length: rows }, () => rng.normal());
  const inputs: Record<string, InputInfo> = {};
  const columns: Record<string, Column> = {};
  for (const [name, input] of Object.entries(spec.inputs)) {
    const { extras, ...column } = inputColumn(input, z, rng);
    columns[name] = column;
    inputs[name] = { name, type: input.type, shape: column.shape, dtype: column.dtype, ...extras };
  }
  const heads: Record<string, HeadInfo> = {};
  const targets: Record<string, Column> = {};
  for (const [name, head] of Object.entries(spec.heads)) {
    heads[name] = HEADS[head.type].info(name, head);
    targets[name] = headData(head.type).synth(heads[name], z, rng);
  }
  const trainRows = Math.max(1, Math.round(rows * (1 - spec.data.validation_split)));
  const split = (from: number, to: number) => arraySplit(columns, targets, from, to);
  return {
    inputs,
    heads,
    train: split(0, trainRows),
    validation: split(trainRows, rows),
    preprocessing: { source: 'random', inputs: inputs as never, heads: heads as never },
  };
}

/** One input's random rows, from its type's module; float inputs get their statistics as a table's would. */
function inputColumn(input: InputSpec, z: number[], rng: Rng): Column & { extras: Partial<InputInfo> } {
  const def = inputDef(input.type);
  const { extras, ...col } = def.synth(input, z, rng);
  if (def.stats === 'none') return { ...col, extras: extras ?? {} };
  const channels = col.shape[col.shape.length - 1];
  return { ...col, extras: { ...extras, stats: columnStats(col.data as Float32Array, channels) } };
}

export function columnStats(data: Float32Array, channels: number): Moments {
  return new ChannelMoments(channels).add(data).result();
}

/** A split over in-memory columns: rows [from, to). */
export function arraySplit(columns: Record<string, Column>, targets: Record<string, Column>, from: number, to: number): DataSplit {
  const take = (col: Column, indices: ArrayLike<number>): tf.Tensor => {
    const size = col.shape.reduce((a, b) => a * b, 1);
    const out = col.dtype === 'int32' ? new Int32Array(indices.length * size) : new Float32Array(indices.length * size);
    return tf.tensor(gatherRows(col.data, size, indices, out, from), [indices.length, ...col.shape], col.dtype);
  };
  const map = (cols: Record<string, Column>, indices: ArrayLike<number>) =>
    Object.fromEntries(Object.entries(cols).map(([k, c]) => [k, take(c, indices)]));
  return {
    rows: to - from,
    batch: async (indices): Promise<Batch> => ({ xs: map(columns, indices), ys: map(targets, indices) }),
  };
}
