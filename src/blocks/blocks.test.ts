import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { BLOCKS, registerCustomLayers } from './registry';
import { BlockCase, DEFAULT_CASES, VARIANT_CASES, buildCase, caseBatch } from './fixtures';
import { leakedTensors, roundTrip } from './model-check';

before(async () => {
  await tf.setBackend('cpu');
  registerCustomLayers();
});

test('every registered block has a default fixture, and every fixture a block', () => {
  assert.deepEqual(Object.keys(DEFAULT_CASES).sort(), Object.keys(BLOCKS).sort());
  for (const c of Object.values(VARIANT_CASES)) assert.ok(c.type in BLOCKS, c.type);
});

test('every block declares its own type as its registry key', () => {
  for (const [key, def] of Object.entries(BLOCKS)) assert.equal(def.type, key);
});

/** Shape, same predictions after a save/load round trip, and no tensor left behind. */
async function checkCase(c: BlockCase): Promise<void> {
  const leaked = await leakedTensors(async () => {
    const { model } = buildCase(c);
    assert.deepEqual(model.outputs[0].shape.slice(1), c.output, 'output shape');
    const xs = caseBatch(c, 2);
    const loaded = await roundTrip(model);
    const [a, b] = [model.predict(xs) as tf.Tensor, loaded.predict(xs) as tf.Tensor];
    assert.deepEqual(a.shape, [2, ...c.output]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
    assert.ok(diff.dataSync()[0] < 1e-5, 'same predictions after reload');
    tf.dispose([...xs, a, b, diff]);
    model.dispose();
    loaded.dispose();
  });
  assert.equal(leaked, 0, 'tensors left behind');
}

describe('default configuration of each block', () => {
  for (const [name, c] of Object.entries(DEFAULT_CASES)) test(name, () => checkCase(c));
});

describe('variants', () => {
  for (const [name, c] of Object.entries(VARIANT_CASES)) test(name, () => checkCase(c));
});

test('the export graph is the training graph minus augmentation: same names, weights copy by name', async () => {
  const c = VARIANT_CASES['image resnet with augmentation'];
  const trained = buildCase(c, false).model;
  const exported = buildCase(c, true).model;
  const names = (m: typeof trained) => m.layers.map((l) => l.name);
  assert.deepEqual(names(trained).filter((n) => !n.includes('augment')), names(exported));
  assert.ok(names(trained).some((n) => n.includes('augment')));
  for (const layer of exported.layers) layer.setWeights(trained.getLayer(layer.name).getWeights());
  const xs = caseBatch(c, 2);
  const [a, b] = [trained.predict(xs) as tf.Tensor, exported.predict(xs) as tf.Tensor];
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  assert.ok(diff.dataSync()[0] < 1e-5);
  tf.dispose([...xs, a, b, diff]);
  trained.dispose();
  exported.dispose();
});
