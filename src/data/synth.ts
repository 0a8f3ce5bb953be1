/**
 * Random data shaped by a spec, for smoke tests and CI. Not pure noise: every row has a hidden
 * signal z that shows in every input (image brightness, the first numeric columns, which tokens
 * occur) and decides every target, so a working model learns and a broken one does not.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Spec, InputSpec } from '../spec/types';
import { HEADS } from '../heads/registry';
import { classificationOutput } from '../heads/classification';
import { makeRng, deriveSeed, Rng } from '../util/rng';
import type { Batch, DataSplit, HeadInfo, InputInfo, PreparedData } from './source';
import { ChannelMoments, Moments } from './moments';

interface Column {
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
    columns[name] = inputColumn(input, z, rng);
    inputs[name] = { name, type: input.type, shape: columns[name].shape, dtype: columns[name].dtype, ...inputExtras(input, columns[name]) };
  }
  const heads: Record<string, HeadInfo> = {};
  const targets: Record<string, Column> = {};
  for (const [name, head] of Object.entries(spec.heads)) {
    heads[name] = HEADS[head.type].info(name, head);
    targets[name] = targetColumn(heads[name], z, rng);
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

function inputExtras(input: InputSpec, col: Column): Partial<InputInfo> {
  if (input.type === 'text') return { vocabSize: input.max_tokens };
  const channels = col.shape[col.shape.length - 1];
  return { stats: columnStats(col.data as Float32Array, channels) };
}

function inputColumn(input: InputSpec, z: number[], rng: Rng): Column {
  const rows = z.length;
  if (input.type === 'image') {
    const shape = [...input.shape!];
    const size = shape[0] * shape[1] * shape[2];
    const data = new Float32Array(rows * size);
    // Brightness carries the signal; the rest is uniform noise in [0, 1] like scaled pixels.
    for (let r = 0; r < rows; r++) for (let i = 0; i < size; i++) data[r * size + i] = clamp01(0.5 + 0.15 * z[r] + 0.35 * (rng.next() - 0.5));
    return { shape, dtype: 'float32', data };
  }
  if (input.type === 'text') {
    const len = input.sequence_length!;
    const vocab = input.max_tokens!;
    const data = new Int32Array(rows * len);
    // Ids 0 (padding) and 1 (out of vocabulary) are reserved; the signal picks the lower or upper half.
    const half = Math.max(1, Math.floor((vocab - 2) / 2));
    for (let r = 0; r < rows; r++) for (let t = 0; t < len; t++) {
      const upper = rng.next() < 0.5 + 0.4 * Math.tanh(z[r]);
      data[r * len + t] = 2 + (upper ? half : 0) + Math.floor(rng.next() * half);
    }
    return { shape: [len], dtype: 'int32', data };
  }
  const n = typeof input.columns === 'number' ? input.columns : (input.columns as string[]).length;
  const data = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) for (let c = 0; c < n; c++) data[r * n + c] = (c < 3 ? z[r] : 0) + rng.normal() * (c < 3 ? 0.5 : 1);
  return { shape: [n], dtype: 'float32', data };
}

function targetColumn(head: HeadInfo, z: number[], rng: Rng): Column {
  const rows = z.length;
  if (head.type === 'regression') {
    const units = head.units ?? 1;
    const data = new Float32Array(rows * units);
    for (let r = 0; r < rows; r++) for (let u = 0; u < units; u++) data[r * units + u] = (u + 1) * z[r] + 0.1 * rng.normal();
    return { shape: [units], dtype: 'float32', data };
  }
  const classes = head.classes!;
  if (classificationOutput(head).units === 1) {
    return { shape: [1], dtype: 'float32', data: Float32Array.from(z, (v) => (v > 0 ? 1 : 0)) };
  }
  const data = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    if (head.multiLabel) {
      for (let k = 0; k < classes; k++) data[r * classes + k] = z[r] + 0.3 * rng.normal() > (k / classes) * 2 - 1 ? 1 : 0;
    } else {
      data[r * classes + bin(z[r], classes)] = 1;
    }
  }
  return { shape: [classes], dtype: 'float32', data };
}

/** Equal-probability bins of a standard normal, so classes are balanced. */
function bin(v: number, classes: number): number {
  const p = 0.5 * (1 + Math.tanh(0.7978845608 * (v + 0.044715 * v ** 3)));
  return Math.min(classes - 1, Math.floor(p * classes));
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export function columnStats(data: Float32Array, channels: number): Moments {
  return new ChannelMoments(channels).add(data).result();
}

/** A split over in-memory columns: rows [from, to). */
export function arraySplit(columns: Record<string, Column>, targets: Record<string, Column>, from: number, to: number): DataSplit {
  const take = (col: Column, indices: ArrayLike<number>): tf.Tensor => {
    const size = col.shape.reduce((a, b) => a * b, 1);
    const out = col.dtype === 'int32' ? new Int32Array(indices.length * size) : new Float32Array(indices.length * size);
    for (let i = 0; i < indices.length; i++) {
      const r = from + indices[i];
      out.set(col.data.subarray(r * size, (r + 1) * size), i * size);
    }
    return tf.tensor(out, [indices.length, ...col.shape], col.dtype);
  };
  const map = (cols: Record<string, Column>, indices: ArrayLike<number>) =>
    Object.fromEntries(Object.entries(cols).map(([k, c]) => [k, take(c, indices)]));
  return {
    rows: to - from,
    batch: async (indices): Promise<Batch> => ({ xs: map(columns, indices), ys: map(targets, indices) }),
  };
}
