import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { makeContext } from './block';
import { GraphShapeError } from './errors';
import { normalization } from './normalization';
import { leakedTensors, roundTrip } from './model-check';

before(async () => {
  await tf.setBackend('cpu');
});

const STATS = { mean: [1, -2, 5], variance: [4, 0.25, 0] };

function normalizer(stats?: typeof STATS): tfl.LayersModel {
  const input = tfl.input({ shape: [3] });
  return tfl.model({ inputs: input, outputs: normalization.build(makeContext('norm', false, stats), [input], {}) });
}

const values = (t: tf.Tensor | tf.Tensor[]) => Array.from((t as tf.Tensor).dataSync());
const close = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) < 1e-3);

test('standard scores with the data statistics; a constant column is only centred', () => {
  const model = normalizer(STATS);
  const x = tf.tensor2d([[3, -1, 7]]);
  assert.ok(close(values(model.predict(x)), [(3 - 1) / 2, (-1 + 2) / 0.5, 7 - 5]));
  model.dispose();
});

test('the same in training mode, and training leaves the statistics alone', async () => {
  const model = normalizer(STATS);
  const x = tf.tensor2d([[3, -1, 7], [0, 0, 0]]);
  const layer = model.layers[1];
  assert.ok(close(values(layer.apply(x, { training: true }) as tf.Tensor), values(model.predict(x))));
  const before = layer.getWeights().map(values);
  const head = tfl.layers.dense({ units: 1 }).apply(model.outputs[0]) as tfl.SymbolicTensor;
  const trainable = tfl.model({ inputs: model.inputs, outputs: head });
  trainable.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await trainable.fit(x, tf.ones([2, 1]), { epochs: 2, verbose: 0 });
  assert.deepEqual(layer.getWeights().map(values), before);
  trainable.dispose();
});

test('without statistics it starts as the identity (weights arrive later by name)', () => {
  const model = normalizer();
  assert.ok(close(values(model.predict(tf.tensor2d([[3, -1, 7]]))), [3, -1, 7]));
  model.dispose();
});

test('saves as a plain BatchNormalization that reloads with the statistics', async () => {
  const model = normalizer(STATS);
  const topology = JSON.stringify(model.toJSON(null, false));
  assert.ok(topology.includes('"class_name":"BatchNormalization"'));
  const loaded = await roundTrip(model);
  const x = tf.tensor2d([[3, -1, 7]]);
  assert.ok(close(values(loaded.predict(x)), values(model.predict(x))));
  model.dispose();
  loaded.dispose();
});

test('per-channel statistics on images', () => {
  const input = tfl.input({ shape: [2, 2, 2] });
  const stats = { mean: [10, 20], variance: [1, 4] };
  const model = tfl.model({ inputs: input, outputs: normalization.build(makeContext('norm', false, stats), [input], {}) });
  const y = values(model.predict(tf.fill([1, 2, 2, 2], 12)));
  assert.ok(close(y, [2, -4, 2, -4, 2, -4, 2, -4]));
  model.dispose();
});

test('statistics that do not fit the input are a shape error', () => {
  const input = tfl.input({ shape: [8, 8, 4] });
  assert.throws(
    () => normalization.build(makeContext('norm', false, STATS), [input], {}),
    (e: unknown) => e instanceof GraphShapeError && e.message === 'normalization "norm" has statistics for 3 channels, but its input [8, 8, 4] has 4',
  );
});

test('no tensors left behind', async () => {
  const leaked = await leakedTensors(() => {
    const model = normalizer(STATS);
    tf.tidy(() => {
      model.predict(tf.ones([2, 3]));
    });
    model.dispose();
  });
  assert.equal(leaked, 0);
});
