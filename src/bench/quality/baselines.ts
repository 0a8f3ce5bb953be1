/**
 * The hand-written baselines: what a practitioner writes in ~30 lines of plain tfjs for the same
 * rows. Tables: numbers imputed with the training mean and standardised, strings one-hot, title
 * words as a bag of words, a 64-64 ReLU MLP, regression targets standardised by hand. Images: the
 * Keras "simple MNIST convnet" (conv 32, pool, conv 64, pool, flatten, dropout 0.5, softmax).
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import sharp from 'sharp';
import type { BenchHead, Dataset, Row } from './datasets';

/** One head's predictions on the test rows: numbers (regression) or class names. */
export type HeadPredictions = Record<string, Array<number | string>>;

const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const missing = (v: unknown) => v === null || v === undefined || v === '';

/** One column of the feature matrix: standardised number or one-hot strings. */
interface Feature { width: number; write(v: unknown, out: Float32Array, at: number): void }

function numberFeature(values: unknown[]): Feature {
  const xs = values.filter(isNumber) as number[];
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length)) || 1;
  return { width: 1, write: (v, out, at) => void (out[at] = isNumber(v) ? ((v as number) - mean) / std : 0) };
}

function oneHotFeature(values: unknown[]): Feature {
  const vocab = [...new Set(values.filter((v) => !missing(v)).map(String))];
  return { width: vocab.length + 1, write: (v, out, at) => void (out[at + (missing(v) ? vocab.length : Math.max(0, vocab.indexOf(String(v))))] = 1) };
}

function bagOfWords(values: unknown[], size = 1000): Feature {
  const words = (v: unknown) => String(v ?? '').toLowerCase().match(/[a-z0-9']+/g) ?? [];
  const counts = new Map<string, number>();
  for (const v of values) for (const w of words(v)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const index = new Map([...counts].sort((a, b) => b[1] - a[1]).slice(0, size).map(([w], i) => [w, i]));
  return { width: index.size, write: (v, out, at) => words(v).forEach((w) => index.has(w) && (out[at + index.get(w)!] = 1)) };
}

function featurize(train: Row[], columns: string[], textColumns: string[]): (rows: Row[]) => tf.Tensor2D {
  const features = [
    ...columns.map((c) => ({ c, f: train.every((r) => missing(r[c]) || isNumber(r[c])) ? numberFeature(train.map((r) => r[c])) : oneHotFeature(train.map((r) => r[c])) })),
    ...textColumns.map((c) => ({ c, f: bagOfWords(train.map((r) => r[c])) })),
  ];
  const width = features.reduce((a, { f }) => a + f.width, 0);
  return (rows) => {
    const out = new Float32Array(rows.length * width);
    rows.forEach((r, i) => features.reduce((at, { c, f }) => (f.write(r[c], out, at), at + f.width), i * width));
    return tf.tensor2d(out, [rows.length, width]);
  };
}

/** A target column as the baseline trains on it, and its predictions decoded back. */
function targetCodec(head: BenchHead, train: Row[]) {
  if (head.type === 'regression') {
    const ys = train.map((r) => Number(r[head.column]));
    const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
    const std = Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length) || 1;
    return { units: 1, activation: 'linear' as const, loss: 'meanSquaredError', encode: (rows: Row[]) => tf.tensor2d(rows.map((r) => [(Number(r[head.column]) - mean) / std])), decode: (p: number[][]) => p.map((v) => v[0] * std + mean) };
  }
  const classes = [...new Set(train.map((r) => String(r[head.column])))].sort();
  return {
    units: classes.length, activation: 'softmax' as const, loss: 'categoricalCrossentropy',
    encode: (rows: Row[]) => tf.oneHot(tf.tensor1d(rows.map((r) => classes.indexOf(String(r[head.column]))), 'int32'), classes.length),
    decode: (p: number[][]) => p.map((v) => classes[v.indexOf(Math.max(...v))]),
  };
}

async function fitAndPredict(ds: Dataset, body: (x: tfl.SymbolicTensor) => tfl.SymbolicTensor, input: tfl.SymbolicTensor, xTrain: tf.Tensor, xTest: tf.Tensor): Promise<HeadPredictions> {
  const codecs = ds.heads.map((h) => targetCodec(h, ds.train));
  const features = body(input);
  const outputs = codecs.map((c, i) => tfl.layers.dense({ units: c.units, activation: c.activation, name: ds.heads[i].name }).apply(features) as tfl.SymbolicTensor);
  const model = tfl.model({ inputs: input, outputs });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: codecs.map((c) => c.loss) });
  const ys = codecs.map((c) => c.encode(ds.train));
  await model.fit(xTrain, ys, { epochs: ds.epochs, batchSize: 32, shuffle: true, verbose: 0 });
  const predicted = [model.predict(xTest)].flat() as tf.Tensor[];
  const result = Object.fromEntries(ds.heads.map((h, i) => [h.name, codecs[i].decode(predicted[i].arraySync() as number[][])]));
  tf.dispose([...ys, ...predicted, xTrain, xTest]);
  model.dispose();
  return result;
}

export async function tableBaseline(ds: Dataset, columns: string[], textColumns: string[] = []): Promise<HeadPredictions> {
  const toX = featurize(ds.train, columns, textColumns);
  const xTrain = toX(ds.train), xTest = toX(ds.test);
  const input = tfl.input({ shape: [xTrain.shape[1]] });
  const mlp = (x: tfl.SymbolicTensor) => [64, 64].reduce((h, units) => tfl.layers.dense({ units, activation: 'relu' }).apply(h) as tfl.SymbolicTensor, x);
  return fitAndPredict(ds, mlp, input, xTrain, xTest);
}

async function readImages(rows: Row[], dir: string, column: string): Promise<tf.Tensor4D> {
  const pixels = await Promise.all(rows.map((r) => sharp(path.join(dir, String(r[column]))).greyscale().raw().toBuffer()));
  const out = new Float32Array(rows.length * 28 * 28);
  pixels.forEach((p, i) => out.set(Float32Array.from(p, (v) => v / 255), i * 784));
  return tf.tensor4d(out, [rows.length, 28, 28, 1]);
}

export async function imageBaseline(ds: Dataset, dir: string, column: string): Promise<HeadPredictions> {
  const xTrain = await readImages(ds.train, dir, column), xTest = await readImages(ds.test, dir, column);
  const convnet = (x: tfl.SymbolicTensor) => {
    const layers = [
      tfl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }), tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }), tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(), tfl.layers.dropout({ rate: 0.5 }),
    ];
    return layers.reduce((h, l) => l.apply(h) as tfl.SymbolicTensor, x);
  };
  return fitAndPredict(ds, convnet, tfl.input({ shape: [28, 28, 1] }), xTrain, xTest);
}
