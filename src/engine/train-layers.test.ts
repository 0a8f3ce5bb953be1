/**
 * Every layer type automm builds trains on wasm (1-2 steps of model.fit), and repeated fits leak
 * no tensors: our kernels dispose every intermediate they make.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { engineReady } from './testing';

// As src/blocks/rnn.ts: tfjs's default 'orthogonal' needs chained ops that tfjs-core alone lacks.
const RECURRENT_INIT = 'glorotUniform';

interface LayerCase { name: string; input: number[]; tokens?: number; layers: () => tfl.layers.Layer[] }

const CASES: LayerCase[] = [
  { name: 'conv1d', input: [12, 3], layers: () => [tfl.layers.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }), tfl.layers.flatten()] },
  { name: 'conv2d', input: [9, 9, 3], layers: () => [tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }), tfl.layers.flatten()] },
  { name: 'separableConv2d', input: [8, 8, 3], layers: () => [tfl.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same' }), tfl.layers.flatten()] },
  { name: 'depthwiseConv2d', input: [8, 8, 3], layers: () => [tfl.layers.depthwiseConv2d({ kernelSize: 3, strides: 2 }), tfl.layers.flatten()] },
  { name: 'maxPooling2d', input: [8, 8, 3], layers: () => [tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }), tfl.layers.maxPooling2d({ poolSize: 2 }), tfl.layers.flatten()] },
  { name: 'averagePooling2d', input: [8, 8, 3], layers: () => [tfl.layers.conv2d({ filters: 4, kernelSize: 3 }), tfl.layers.averagePooling2d({ poolSize: 2 }), tfl.layers.flatten()] },
  { name: 'globalAveragePooling2d', input: [8, 8, 3], layers: () => [tfl.layers.conv2d({ filters: 4, kernelSize: 3 }), tfl.layers.globalAveragePooling2d({})] },
  { name: 'batchNormalization', input: [8, 8, 3], layers: () => [tfl.layers.conv2d({ filters: 4, kernelSize: 3 }), tfl.layers.batchNormalization(), tfl.layers.flatten()] },
  { name: 'dense + dropout', input: [20], layers: () => [tfl.layers.dense({ units: 16, activation: 'relu' }), tfl.layers.dropout({ rate: 0.5 })] },
  { name: 'embedding', input: [10], tokens: 50, layers: () => [tfl.layers.embedding({ inputDim: 50, outputDim: 8 }), tfl.layers.flatten()] },
  { name: 'lstm', input: [6], tokens: 50, layers: () => [tfl.layers.embedding({ inputDim: 50, outputDim: 8 }), tfl.layers.lstm({ units: 8, recurrentInitializer: RECURRENT_INIT })] },
  { name: 'gru', input: [6], tokens: 50, layers: () => [tfl.layers.embedding({ inputDim: 50, outputDim: 8 }), tfl.layers.gru({ units: 8, recurrentInitializer: RECURRENT_INIT })] },
  { name: 'bidirectional', input: [6], tokens: 50, layers: () => [tfl.layers.embedding({ inputDim: 50, outputDim: 8 }), tfl.layers.bidirectional({ layer: tfl.layers.gru({ units: 4, recurrentInitializer: RECURRENT_INIT }) as tfl.RNN })] },
];

function build(c: LayerCase): tfl.Sequential {
  const model = tfl.sequential();
  model.add(tfl.layers.inputLayer({ inputShape: c.input }));
  for (const layer of c.layers()) model.add(layer);
  model.add(tfl.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  return model;
}

function batch(c: LayerCase, n: number): { x: tf.Tensor; y: tf.Tensor } {
  const x = c.tokens ? tf.randomUniform([n, ...c.input], 0, c.tokens, 'int32') : tf.randomNormal([n, ...c.input], 0, 1, 'float32', 7);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 3), 'int32'), 3);
  return { x, y };
}

for (const c of CASES) {
  test(`${c.name} trains on wasm without leaking tensors`, async () => {
    await engineReady();
    await tf.setBackend('wasm');
    const model = build(c);
    const { x, y } = batch(c, 4);
    const before = model.getWeights().map((w) => w.dataSync().slice());
    await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    const tensorsAfterFirstFit = tf.memory().numTensors;
    // Kernels make TensorInfos the engine never sees: count the backend's buffers too.
    const buffersAfterFirstFit = tf.backend().numDataIds();
    const history = await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    assert.equal(tf.memory().numTensors, tensorsAfterFirstFit, 'numTensors grew across fit calls');
    assert.equal(tf.backend().numDataIds(), buffersAfterFirstFit, 'wasm buffers grew across fit calls');
    const loss = history.history.loss[0] as number;
    assert.ok(Number.isFinite(loss), `loss ${loss}`);
    const changed = model.getWeights().some((w, i) => w.dataSync().some((v, j) => v !== before[i][j]));
    assert.ok(changed, 'no weight changed');
    model.dispose();
    tf.dispose([x, y]);
  });
}
