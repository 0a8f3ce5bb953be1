import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { makeContext } from './block';
import { RandomAugmentation } from './augmentation-layer';
import { AugmentFactors } from './augment-ops';
import { BlockGraphError } from './errors';
import { imageAugmentation } from './image-augmentation';
import { normalization } from './normalization';
import { registerCustomLayers } from './registry';
import { leakedTensors } from './model-check';

const NONE: AugmentFactors = { horizontalFlip: false, verticalFlip: false, translationFactor: 0, rotationFactor: 0, zoomFactor: 0, contrastFactor: 0 };
const PARAMS = { horizontal_flip: true, vertical_flip: false, translation_factor: 0.1, rotation_factor: 0, zoom_factor: 0, contrast_factor: 0 };
const realRandom = Math.random;

before(async () => {
  await tf.setBackend('cpu');
  registerCustomLayers();
});
after(() => {
  Math.random = realRandom;
});

/** Images whose every pixel differs, so any move shows: value = row * 10 + column (+ 100 per channel). */
const ramp = (n: number, size: number, channels = 1): tf.Tensor4D =>
  tf.tidy(() => {
    const rows = tf.mul(tf.reshape(tf.range(0, size), [size, 1, 1]), 10);
    const cols = tf.reshape(tf.range(0, size), [1, size, 1]);
    const chans = tf.mul(tf.reshape(tf.range(0, channels), [1, 1, channels]), 100);
    return tf.tile(tf.expandDims(tf.add(tf.add(rows, cols), chans), 0), [n, 1, 1, 1]) as tf.Tensor4D;
  });

function augment(x: tf.Tensor4D, factors: Partial<AugmentFactors>, random?: number): tf.Tensor4D {
  const layer = new RandomAugmentation({ ...NONE, ...factors });
  if (random !== undefined) Math.random = () => random;
  try {
    return layer.apply(x, { training: true }) as tf.Tensor4D;
  } finally {
    Math.random = realRandom;
  }
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

test('identity unless training', () => {
  const x = ramp(2, 5);
  const layer = new RandomAugmentation({ ...NONE, horizontalFlip: true, translationFactor: 0.3 });
  const y = layer.apply(x) as tf.Tensor;
  assert.equal(maxDiff(x, y), 0);
  tf.dispose([x, y]);
});

test('horizontal flips: each image is itself or its mirror', () => {
  const x = ramp(8, 5);
  const y = augment(x, { horizontalFlip: true });
  const mirrored = tf.image.flipLeftRight(x);
  for (let i = 0; i < 8; i++) {
    const [yi, xi, mi] = [y, x, mirrored].map((t) => tf.slice(t, [i], [1]));
    assert.ok(maxDiff(yi, xi) < 1e-4 || maxDiff(yi, mi) < 1e-4, `image ${i}`);
    tf.dispose([yi, xi, mi]);
  }
  tf.dispose([x, y, mirrored]);
});

test('vertical flip turns rows upside down', () => {
  const x = ramp(1, 5);
  const y = augment(x, { verticalFlip: true }, 0);
  assert.ok(maxDiff(y, tf.reverse(x, 1)) < 1e-4);
  tf.dispose([x, y]);
});

test('translation shifts by the factor times the size', () => {
  const x = ramp(1, 8);
  // Math.random() = 1 draws the largest shift: 0.25 * 8 = 2 pixels; output (r, c) samples input (r + 2, c + 2).
  const y = augment(x, { translationFactor: 0.25 }, 1);
  assert.ok(maxDiff(tf.slice(y, [0, 0, 0, 0], [1, 6, 6, 1]), tf.slice(x, [0, 2, 2, 0], [1, 6, 6, 1])) < 1e-4);
  tf.dispose([x, y]);
});

test('rotation by a quarter turn moves row r, column c to where a 90-degree rotation puts it', () => {
  const x = ramp(1, 5);
  const y = augment(x, { rotationFactor: 0.25 }, 1);
  // output (r, c) samples input (c, 4 - r)
  const expected = tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 1);
  assert.ok(maxDiff(y, expected) < 1e-3);
  tf.dispose([x, y, expected]);
});

test('contrast keeps each channel mean and scales deviations', () => {
  const x = ramp(2, 4, 3);
  const y = augment(x, { contrastFactor: 0.5 }, 1);
  assert.ok(maxDiff(tf.mean(y, [1, 2]), tf.mean(x, [1, 2])) < 1e-3);
  // Math.random() = 1 draws the largest factor, 1.5: the first channel's range grows by half.
  const spread = (t: tf.Tensor) => tf.tidy(() => { const c = tf.slice(t, [0, 0, 0, 0], [1, 4, 4, 1]); return tf.sub(tf.max(c), tf.min(c)).dataSync()[0]; });
  assert.ok(Math.abs(spread(y) - 1.5 * spread(x)) < 1e-3);
  tf.dispose([x, y]);
});

test('no tensors left behind by a training-time call', async () => {
  const x = ramp(3, 6, 3);
  const leaked = await leakedTensors(() => augment(x, { horizontalFlip: true, verticalFlip: true, translationFactor: 0.2, rotationFactor: 0.1, zoomFactor: 0.1, contrastFactor: 0.2 }).dispose());
  assert.equal(leaked, 0);
  x.dispose();
});

test('the block adds no layer when building for export', () => {
  const input = tfl.input({ shape: [8, 8, 3] });
  assert.equal(imageAugmentation.build(makeContext('aug', true), [input], PARAMS), input);
  const trained = imageAugmentation.build(makeContext('aug', false), [input], PARAMS);
  assert.ok(trained.sourceLayer instanceof RandomAugmentation);
});

test('a model that augments its input trains (no gradient is needed through the transform)', async () => {
  const input = tfl.input({ shape: [6, 6, 3] });
  const normalised = normalization.build(makeContext('norm', false), [input], {});
  const augmented = imageAugmentation.build(makeContext('aug', false), [normalised], { ...PARAMS, rotation_factor: 0.1, contrast_factor: 0.1 });
  const features = tfl.layers.flatten().apply(tfl.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(augmented)) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 1 }).apply(features) as tfl.SymbolicTensor });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const [xs, ys] = [ramp(4, 6, 3), tf.ones([4, 1])];
  const history = await model.fit(xs, ys, { epochs: 1, batchSize: 2, verbose: 0 });
  assert.ok(Number.isFinite(history.history.loss[0] as number));
  tf.dispose([xs, ys]);
  model.dispose();
});

test('refuses to sit after a trainable layer, naming it', () => {
  const input = tfl.input({ shape: [8, 8, 3] });
  const convolved = tfl.layers.conv2d({ filters: 3, kernelSize: 1, padding: 'same', name: 'stem' }).apply(input) as tfl.SymbolicTensor;
  assert.throws(
    () => imageAugmentation.build(makeContext('aug', false), [convolved], PARAMS),
    (e: unknown) => e instanceof BlockGraphError && e.block === 'aug' && /must come before any trainable layer.*"stem"/.test(e.message),
  );
});

test('registerCustomLayers can be called again', () => {
  registerCustomLayers();
  registerCustomLayers();
  const config = new RandomAugmentation({ ...NONE, name: 'a', translationFactor: 0.2 }).getConfig();
  assert.equal(config.translationFactor, 0.2);
});
