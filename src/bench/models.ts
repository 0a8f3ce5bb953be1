/**
 * Reference models for the benchmark, each with a fixed synthetic batch. Sizes follow the issue
 * "Fast training without native TensorFlow": a small CNN, an MLP on 20 numeric columns, and two
 * text models (embedding + conv1d, embedding + GRU).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { StepFn } from './harness';
import { makeOptimizer } from '../search/optimizers';

export interface BenchModel {
  name: string;
  batchSize: number;
  /** Builds the model on the active backend and returns one training step (Adam). */
  build(): { step: StepFn; dispose(): void };
}

export const BENCH_MODELS: readonly BenchModel[] = [
  {
    name: 'conv: 32x32x3, conv32-pool-conv64-gap-dense10',
    batchSize: 32,
    build: () => trainer(convModel(), tf.randomNormal([32, 32, 32, 3]), oneHot(32, 10)),
  },
  {
    name: 'mlp: 20 numeric columns, 128-64-2',
    batchSize: 128,
    build: () => trainer(mlpModel(), tf.randomNormal([128, 20]), oneHot(128, 2)),
  },
  {
    name: 'text: embedding64 + conv1d64 k5, seq 64',
    batchSize: 32,
    build: () => trainer(textConvModel(), tokens(32, 64), oneHot(32, 2)),
  },
  {
    name: 'text: embedding64 + GRU64, seq 32',
    batchSize: 32,
    build: () => trainer(textGruModel(), tokens(32, 32), oneHot(32, 2)),
  },
];

// Small enough that the cpu backend, whose embedding gradient loops once per vocabulary entry,
// finishes a step in seconds rather than minutes.
const VOCAB = 1000;

export function convModel(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ inputShape: [32, 32, 3], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tfl.layers.globalAveragePooling2d({}));
  m.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

function mlpModel(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.dense({ inputShape: [20], units: 128, activation: 'relu' }));
  m.add(tfl.layers.dense({ units: 64, activation: 'relu' }));
  m.add(tfl.layers.dense({ units: 2, activation: 'softmax' }));
  return m;
}

function textConvModel(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.embedding({ inputDim: VOCAB, outputDim: 64, inputLength: 64 }));
  m.add(tfl.layers.conv1d({ filters: 64, kernelSize: 5, activation: 'relu' }));
  m.add(tfl.layers.globalMaxPooling1d({}));
  m.add(tfl.layers.dense({ units: 2, activation: 'softmax' }));
  return m;
}

function textGruModel(): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.embedding({ inputDim: VOCAB, outputDim: 64, inputLength: 32 }));
  // As src/blocks/rnn.ts: the default 'orthogonal' initialiser needs the full tfjs bundle.
  m.add(tfl.layers.gru({ units: 64, recurrentInitializer: 'glorotUniform' }));
  m.add(tfl.layers.dense({ units: 2, activation: 'softmax' }));
  return m;
}

function oneHot(n: number, classes: number): tf.Tensor {
  return tf.tidy(() => tf.oneHot(tf.randomUniform([n], 0, classes, 'int32') as tf.Tensor1D, classes));
}

function tokens(n: number, length: number): tf.Tensor {
  return tf.randomUniform([n, length], 0, VOCAB, 'int32');
}

function trainer(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor): { step: StepFn; dispose(): void } {
  // The optimizer a search's trials train with: Adam with its update fused on wasm.
  const optimizer = makeOptimizer('adam', 1e-3);
  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  return {
    step: () => model.trainOnBatch(x, y),
    dispose: () => {
      model.dispose();
      optimizer.dispose();
      tf.dispose([x, y]);
    },
  };
}
