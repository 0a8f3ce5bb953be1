import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { makeContext } from '../blocks/block';
import { leakedTensors } from '../blocks/model-check';
import { HeadSettingsError } from './errors';
import type { LossOrMetricFn } from './head';
import { binaryCrossentropy, categoricalCrossentropy, huber, meanAbsoluteError, meanSquaredError } from './losses';
import { binaryAccuracy, categoricalAccuracy, namedMetric, rmse } from './metrics';
import { HEADS } from './registry';

before(async () => {
  await tf.setBackend('cpu');
});

/** The scalar a loss or metric gives for these targets and predictions, checking it is a scalar. */
function value(fn: LossOrMetricFn, yTrue: number[][], yPred: number[][]): number {
  const out = fn(tf.tensor2d(yTrue), tf.tensor2d(yPred));
  assert.equal(out.rank, 0, 'a scalar mean over the batch');
  return out.dataSync()[0];
}
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-4, `${a} vs ${b}`);

test('cross-entropies', () => {
  near(value(binaryCrossentropy, [[1], [0]], [[0.8], [0.4]]), -(Math.log(0.8) + Math.log(0.6)) / 2);
  near(value(categoricalCrossentropy, [[0, 1, 0], [1, 0, 0]], [[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]]), -(Math.log(0.7) + Math.log(0.5)) / 2);
  assert.ok(Number.isFinite(value(binaryCrossentropy, [[1]], [[0]])), 'saturated outputs give a finite loss');
});

test('regression losses', () => {
  const [t, p] = [[[1, 2], [3, 4]], [[1.5, 2], [1, 4]]];
  near(value(meanSquaredError, t, p), (0.25 + 0 + 4 + 0) / 4);
  near(value(meanAbsoluteError, t, p), (0.5 + 0 + 2 + 0) / 4);
  near(value(huber, t, p), (0.5 * 0.25 + 0 + (0.5 + 1) + 0) / 4);
  near(value(rmse, t, p), Math.sqrt(4.25 / 4));
});

test('accuracy: 0.5 threshold for sigmoids (per label), argmax for softmax', () => {
  near(value(binaryAccuracy, [[1], [0], [1]], [[0.6], [0.7], [0.4]]), 1 / 3);
  near(value(binaryAccuracy, [[1, 0], [0, 1]], [[0.9, 0.2], [0.8, 0.6]]), 3 / 4);
  near(value(categoricalAccuracy, [[0, 0, 1], [1, 0, 0]], [[0.1, 0.2, 0.7], [0.1, 0.8, 0.1]]), 1 / 2);
});

test('losses and metrics leave no tensors behind', async () => {
  const [t, p] = [tf.tensor2d([[0, 1]]), tf.tensor2d([[0.3, 0.7]])];
  const fns = [binaryCrossentropy, categoricalCrossentropy, meanSquaredError, meanAbsoluteError, huber, binaryAccuracy, categoricalAccuracy, rmse];
  assert.equal(await leakedTensors(() => fns.forEach((fn) => fn(t, p).dispose())), 0);
});

test('namedMetric gives a fresh function the name tfjs-layers logs', () => {
  const named = namedMetric('accuracy', binaryAccuracy);
  assert.equal(named.name, 'accuracy');
  assert.notEqual(named, binaryAccuracy);
  assert.equal(binaryAccuracy.name, 'binaryAccuracy');
});

test('a softmax loss on a sigmoid output is reported, and refused by loss()', () => {
  const c = HEADS.classification;
  const written = { loss: 'categorical_crossentropy' };
  const info = c.info('spam', written);
  assert.deepEqual(c.problems!(info, written), ['loss categorical_crossentropy needs a softmax output, but two classes are predicted by one sigmoid unit; use binary_crossentropy or leave loss out']);
  assert.throws(() => c.loss(info, written), (e: unknown) => e instanceof HeadSettingsError && e.head === 'spam');
  assert.deepEqual(c.problems!(c.info('kind', { classes: 3, ...written }), written), []);
});

test('two heads train together and log under <head>_<metric>', async () => {
  const input = tfl.input({ shape: [4] });
  const heads = { kind: { type: 'classification', written: { classes: 3 } }, price: { type: 'regression', written: {} } };
  const outputs = Object.entries(heads).map(([name, h]) => HEADS[h.type].build(makeContext(name, false), input, HEADS[h.type].info(name, h.written), { dropout: 0 }));
  const model = tfl.model({ inputs: input, outputs });
  const defs = Object.entries(heads).map(([name, h]) => ({ name, def: HEADS[h.type], info: HEADS[h.type].info(name, h.written), written: h.written }));
  model.compile({
    optimizer: 'adam',
    loss: Object.fromEntries(defs.map((d) => [d.name, d.def.loss(d.info, d.written).fn])),
    metrics: Object.fromEntries(defs.map((d) => [d.name, d.def.metrics(d.info, d.written).map((m) => m.fn)])) as never,
  });
  const xs = tf.randomUniform([8, 4]);
  const ys = [tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3), tf.randomNormal([8, 1])];
  const history = await model.fit(xs, ys, { epochs: 1, batchSize: 4, verbose: 0 });
  for (const key of ['loss', 'kind_loss', 'price_loss', 'kind_accuracy', 'price_mae']) assert.ok(Number.isFinite(history.history[key]?.[0] as number), key);
  tf.dispose([xs, ...ys]);
  model.dispose();
});
