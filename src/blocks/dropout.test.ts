/**
 * The fused dropout layer gives tfjs's Dropout's outputs and gradients bit for bit from the same
 * seeded Math.random, call after call, and a model trained with it ends with the same weights.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { bits, engineReady, randomArray } from '../engine/testing';
import { withSeededMathRandom } from '../util/rng';
import { FusedDropout } from './dropout';
import { FusedAdam } from '../search/fused-optimizers';

/** Three calls in a row (each draws its own mask), with the gradient of a weighted sum of each. */
async function outputsAndGradients(layer: tfl.layers.Layer, x: tf.Tensor, weights: tf.Tensor): Promise<Buffer[]> {
  return withSeededMathRandom(42, async () => {
    const out: Buffer[] = [];
    for (let call = 0; call < 3; call++) {
      tf.tidy(() => {
        out.push(bits(layer.apply(x, { training: true }) as tf.Tensor));
        out.push(bits(tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, weights)))(x)));
      });
    }
    return out;
  });
}

for (const backend of ['wasm', 'cpu']) {
  for (const rate of [0.1, 0.25, 0.5, 0.9]) {
    test(`fused dropout at rate ${rate} on ${backend}: tfjs's outputs and gradients, bit for bit`, async () => {
      await engineReady();
      await tf.setBackend(backend);
      const x = tf.tensor(randomArray(6 * 50, 3, -4, 4), [6, 50]);
      const weights = tf.tensor(randomArray(6 * 50, 4), [6, 50]);
      const reference = await outputsAndGradients(tfl.layers.dropout({ rate }), x, weights);
      const fused = await outputsAndGradients(new FusedDropout({ rate }), x, weights);
      fused.forEach((b, i) => assert.ok(b.equals(reference[i]), `${i % 2 ? 'gradient' : 'output'} of call ${Math.floor(i / 2) + 1} differs`));
      // Masks differ between calls (a layer that reused its mask would pass the comparison above only by luck).
      assert.ok(!fused[0].equals(fused[2]));
      tf.dispose([x, weights]);
      await tf.setBackend('wasm');
    });
  }
}

test('fused dropout outside training passes its input through and draws no random number', async () => {
  await engineReady();
  await tf.setBackend('wasm');
  const x = tf.tensor(randomArray(20, 5), [4, 5]);
  let draws = 0;
  const original = Math.random;
  Math.random = () => (draws++, original());
  try {
    const y = new FusedDropout({ rate: 0.5 }).apply(x, { training: false }) as tf.Tensor;
    assert.ok(bits(y).equals(bits(x)));
    assert.equal(draws, 0);
  } finally {
    Math.random = original;
  }
  x.dispose();
});

/** A small MLP with dropout after each hidden layer, its weights fixed by seed. */
function mlp(dropout: (rate: number) => tfl.layers.Layer): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(tfl.layers.dense({ inputShape: [12], units: 16, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }));
  model.add(dropout(0.3));
  model.add(tfl.layers.dense({ units: 8, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }));
  model.add(dropout(0.5));
  model.add(tfl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }));
  model.compile({ optimizer: new FusedAdam(0.01, 0.9, 0.999, 1e-7), loss: 'categoricalCrossentropy' });
  return model;
}

test('a model trained with the fused dropout ends with the weights tfjs\'s Dropout gives', async () => {
  await engineReady();
  await tf.setBackend('wasm');
  const x = tf.tensor(randomArray(64 * 12, 8), [64, 12]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => (i * 7) % 3), 'int32'), 3);
  const train = async (dropout: (rate: number) => tfl.layers.Layer) => {
    const model = mlp(dropout);
    await withSeededMathRandom(9, () => model.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 }));
    const weights = model.getWeights().map(bits);
    model.dispose();
    return weights;
  };
  const reference = await train((rate) => tfl.layers.dropout({ rate }));
  const fused = await train((rate) => new FusedDropout({ rate }));
  fused.forEach((w, i) => assert.ok(w.equals(reference[i]), `weight ${i} differs`));
  tf.dispose([x, y]);
});
