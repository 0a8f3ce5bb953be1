/**
 * The fused optimizers give the same weights as tfjs's, bit for bit, over many steps on the wasm
 * engine: with gradients of every scale, a weight whose gradient is missing, a learning rate cut
 * halfway, and weights whose memory another tensor shares (which must be left untouched).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { bits, engineReady, seededRandom } from '../engine/testing';
import { FusedAdam, FusedAdamW, FusedMomentum, FusedRMSProp } from './fused-optimizers';
import { reduceLearningRate } from './optimizers';

const SHAPES = [[7, 5], [5], [3, 4, 2]];
const STEPS = 40;

/** tfjs's AdamW as automm had it: every weight shrinks by 1 - lr * decay, then tfjs's Adam. */
class ReferenceAdamW extends tf.AdamOptimizer {
  constructor(lr: number) {
    super(lr, 0.9, 0.999, 1e-7);
  }
  override applyGradients(g: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    tf.tidy(() => {
      for (const name of Object.keys(g)) {
        const v = tf.engine().registeredVariables[name];
        v.assign(tf.mul(v, 1 - this.learningRate * 1e-4));
      }
    });
    super.applyGradients(g);
  }
}

const CASES: { name: string; reference: (lr: number) => tf.Optimizer; fused: (lr: number) => tf.Optimizer }[] = [
  { name: 'adam', reference: (lr) => new tf.AdamOptimizer(lr, 0.9, 0.999, 1e-7), fused: (lr) => new FusedAdam(lr, 0.9, 0.999, 1e-7) },
  { name: 'adamw', reference: (lr) => new ReferenceAdamW(lr), fused: (lr) => new FusedAdamW(lr) },
  { name: 'momentum', reference: (lr) => new tf.MomentumOptimizer(lr, 0.9), fused: (lr) => new FusedMomentum(lr, 0.9) },
  { name: 'nesterov', reference: (lr) => new tf.MomentumOptimizer(lr, 0.9, true), fused: (lr) => new FusedMomentum(lr, 0.9, true) },
  { name: 'rmsprop', reference: (lr) => new tf.RMSPropOptimizer(lr, 0.9, 0, 1e-7), fused: (lr) => new FusedRMSProp(lr, 0.9, 0, 1e-7) },
  { name: 'rmsprop with momentum', reference: (lr) => new tf.RMSPropOptimizer(lr, 0.8, 0.5, 1e-6), fused: (lr) => new FusedRMSProp(lr, 0.8, 0.5, 1e-6) },
];

/** Values spanning tiny to large magnitudes, both signs, with exact zeros. */
function values(size: number, next: () => number): Float32Array {
  return Float32Array.from({ length: size }, () => {
    const u = next();
    return u < 0.05 ? 0 : (next() - 0.5) * 10 ** Math.floor(next() * 8 - 5);
  });
}

function variables(prefix: string, seed: number): tf.Variable[] {
  const next = seededRandom(seed);
  return SHAPES.map((shape, i) => tf.variable(tf.tensor(values(shape.reduce((a, b) => a * b, 1), next), shape), true, `${prefix}_${i}`));
}

/** Runs one optimizer for STEPS steps from fixed weights; returns the weights' and slots' bytes. */
async function train(make: (lr: number) => tf.Optimizer, prefix: string): Promise<{ weights: Buffer[]; slots: Buffer[]; shared: Buffer[]; sharedBefore: Buffer[] }> {
  const vars = variables(prefix, 7);
  const optimizer = make(0.01);
  const next = seededRandom(99);
  let shared: tf.Tensor[] = [];
  let sharedBefore: Buffer[] = [];
  for (let step = 0; step < STEPS; step++) {
    if (step === 10) {
      // What the trainer does each epoch: clones share the weights' memory until the next update.
      shared = vars.map((v) => v.clone());
      sharedBefore = shared.map(bits);
    }
    if (step === 20) reduceLearningRate(optimizer, 0.3, 0);
    // The middle weight's gradient is null on some steps, which tfjs's updates skip.
    const grads = Object.fromEntries(vars.map((v, i) => [v.name, i === 1 && step % 7 === 3 ? null : tf.tensor(values(v.size, next), v.shape)]));
    optimizer.applyGradients(grads as tf.NamedTensorMap);
    tf.dispose(Object.values(grads).filter((g) => g !== null));
  }
  const saved = await optimizer.getWeights();
  const slots = saved.map((w) => bits(w.tensor));
  saved[0].tensor.dispose(); // the iteration count, made for getWeights
  const result = { weights: vars.map(bits), slots, shared: shared.map(bits), sharedBefore };
  tf.dispose([...vars, ...shared]);
  optimizer.dispose();
  return result;
}

for (const c of CASES) {
  test(`fused ${c.name} matches tfjs's update bit for bit on wasm, and leaves shared memory alone`, async () => {
    await engineReady();
    await tf.setBackend('wasm');
    let tensorsBefore = tf.memory().numTensors;
    const reference = await train(c.reference, `${c.name}_ref`);
    const referenceLeak = tf.memory().numTensors - tensorsBefore;
    tensorsBefore = tf.memory().numTensors;
    const fused = await train(c.fused, `${c.name}_fused`);
    assert.equal(tf.memory().numTensors - tensorsBefore, referenceLeak, 'the fused optimizer keeps no more tensors than tfjs\'s');
    fused.weights.forEach((w, i) => assert.ok(w.equals(reference.weights[i]), `weight ${i} differs from tfjs's`));
    assert.equal(fused.slots.length, reference.slots.length);
    fused.slots.forEach((s, i) => assert.ok(s.equals(reference.slots[i]), `optimizer weight ${i} differs from tfjs's`));
    fused.shared.forEach((s, i) => assert.ok(s.equals(fused.sharedBefore[i]), `a clone of weight ${i} was written through`));
    // The weights moved: a test that compared two untouched sets would pass vacuously.
    const start = variables('start', 7);
    assert.ok(!bits(start[0]).equals(fused.weights[0]));
    tf.dispose(start);
  });
}

test('off the wasm engine the fused optimizers run tfjs\'s own update', async () => {
  await engineReady();
  await tf.setBackend('cpu');
  const reference = await train(CASES[1].reference, 'cpu_ref');
  const fused = await train(CASES[1].fused, 'cpu_fused');
  fused.weights.forEach((w, i) => assert.ok(w.equals(reference.weights[i])));
  await tf.setBackend('wasm');
});

test('a matmul after a fused step sees the new weights, not the wasm engine\'s cache of the old ones', async () => {
  await engineReady();
  await tf.setBackend('wasm');
  const next = seededRandom(5);
  const x = tf.tensor(values(6 * 8, next), [6, 8]);
  const w = tf.variable(tf.tensor(values(8 * 4, next), [8, 4]), true, 'cached_w');
  const optimizer = new FusedAdam(0.1, 0.9, 0.999, 1e-7);
  for (let step = 0; step < 3; step++) {
    // xnnpack packs w the first time it multiplies it, keyed by w's id in the engine.
    const product = tf.tidy(() => bits(tf.matMul(x, w)));
    const fresh = tf.tidy(() => bits(tf.matMul(x, tf.tensor(w.dataSync().slice(), w.shape))));
    assert.ok(product.equals(fresh), `step ${step}: the product used stale weights`);
    tf.tidy(() => optimizer.applyGradients({ cached_w: tf.onesLike(w) }));
  }
  tf.dispose([x, w]);
  optimizer.dispose();
});
