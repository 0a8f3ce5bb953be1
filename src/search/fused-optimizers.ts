/**
 * tfjs's Adam, momentum SGD and RMSProp with each weight's update done in one loop over the wasm
 * engine's memory. tfjs's own updates run 4 to 15 kernels per weight at every step, each through the
 * engine's bookkeeping: on a short trial's small model that was a quarter of the step's time, and a
 * large part of what every trial worker's JIT compiles (issue 16). The loops repeat tfjs's operations
 * in its order, rounding to float32 after each one as each kernel does, so every weight comes out
 * bit for bit as tfjs's (checked in fused-optimizers.test.ts): same seed, same scores. Off the wasm
 * engine, and for the variants the loops do not cover, tfjs's own update runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, markWritten, ownMemory, wasmEngine } from '../engine/heap';

const F = Math.fround;

type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];

/** An optimizer's per-weight state variable, as tfjs keeps it (and getWeights names it). */
interface Slot { originalName: string; variable: tf.Variable }

/** The gradients in the order tfjs's optimizers walk them: the index keys each weight's slots. */
function entries(gradients: Gradients): [string, tf.Tensor | undefined][] {
  return Array.isArray(gradients) ? gradients.map((g) => [g.name, g.tensor]) : Object.keys(gradients).map((k) => [k, gradients[k]]);
}

/** Slot i, made as tfjs makes it (zeros, not trainable) the first time it is asked for. */
function slot(slots: Slot[], i: number, name: string, suffix: string): tf.Variable {
  if (slots[i] == null) {
    const value = tf.engine().registeredVariables[name];
    slots[i] = { originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  }
  return slots[i].variable;
}

/**
 * Views of a weight and its slots, taken after making each the sole owner of its memory, and
 * marked as written (the loop that takes them writes every element, and allocates nothing).
 */
function writable(backend: BackendWasm, ...variables: tf.Variable[]): Float32Array[] {
  for (const v of variables) ownMemory(backend, v);
  for (const v of variables) markWritten(backend, v);
  return variables.map((v) => heapView(backend, v));
}

interface AdamState { accBeta1: tf.Variable; accBeta2: tf.Variable; accumulatedFirstMoment: Slot[]; accumulatedSecondMoment: Slot[] }

/** Adam; with `weightDecay`, AdamW (Loshchilov & Hutter): each weight first shrinks by 1 - lr * decay. */
export class FusedAdam extends tf.AdamOptimizer {
  constructor(learningRate: number, beta1: number, beta2: number, epsilon: number, private readonly weightDecay = 0) {
    super(learningRate, beta1, beta2, epsilon);
  }

  override applyGradients(gradients: Gradients): void {
    const backend = wasmEngine();
    if (!backend) return this.unfused(gradients);
    const s = this as unknown as AdamState;
    const [acc1, acc2] = [heapView(backend, s.accBeta1)[0], heapView(backend, s.accBeta2)[0]];
    const k: AdamConstants = {
      b1: F(this.beta1), b2: F(this.beta2), rest1: F(1 - this.beta1), rest2: F(1 - this.beta2),
      c1: F(1 - acc1), c2: F(1 - acc2), eps: F(this.epsilon), negLr: F(-this.learningRate),
      shrink: F(1 - this.learningRate * this.weightDecay),
    };
    entries(gradients).forEach(([name, gradient], i) => {
      const value = tf.engine().registeredVariables[name];
      const m = slot(s.accumulatedFirstMoment, i, name, 'm');
      const v = slot(s.accumulatedSecondMoment, i, name, 'v');
      // AdamW shrinks every weight it is handed, one without a gradient too; the shrunk weight is Adam's input.
      if (gradient == null) {
        if (this.weightDecay) decay(writable(backend, value)[0], k.shrink);
        return;
      }
      const [x, mv, vv] = writable(backend, value, m, v);
      if (this.weightDecay) decay(x, k.shrink);
      adamStep(heapView(backend, gradient), x, mv, vv, k);
    });
    const [a1, a2] = writable(backend, s.accBeta1, s.accBeta2);
    a1[0] = F(acc1 * k.b1);
    a2[0] = F(acc2 * k.b2);
    this.incrementIterations();
  }

  /** tfjs's own update, after AdamW's shrink done as its kernels would. */
  private unfused(gradients: Gradients): void {
    if (this.weightDecay) {
      tf.tidy(() => {
        for (const [name] of entries(gradients)) {
          const v = tf.engine().registeredVariables[name];
          if (v) v.assign(tf.mul(v, 1 - this.learningRate * this.weightDecay));
        }
      });
    }
    super.applyGradients(gradients);
  }
}

/** AdamW under its own name, so a saved training config says which optimizer trained it. */
export class FusedAdamW extends FusedAdam {
  static override className = 'AdamW';
  constructor(learningRate: number, weightDecay = 1e-4) {
    super(learningRate, 0.9, 0.999, 1e-7, weightDecay);
  }
}

interface AdamConstants { b1: number; b2: number; rest1: number; rest2: number; c1: number; c2: number; eps: number; negLr: number; shrink: number }

function decay(x: Float32Array, shrink: number): void {
  for (let j = 0; j < x.length; j++) x[j] = F(x[j] * shrink);
}

/** m = m b1 + g (1 - b1); v = v b2 + g² (1 - b2); x += -lr (m / c1) / (sqrt(v / c2) + eps): tfjs's order. */
function adamStep(g: Float32Array, x: Float32Array, m: Float32Array, v: Float32Array, k: AdamConstants): void {
  for (let j = 0; j < x.length; j++) {
    const gj = g[j];
    const m1 = F(F(m[j] * k.b1) + F(gj * k.rest1));
    const v1 = F(F(v[j] * k.b2) + F(F(gj * gj) * k.rest2));
    m[j] = m1;
    v[j] = v1;
    const denominator = F(F(Math.sqrt(F(v1 / k.c2))) + k.eps);
    x[j] = F(F(F(F(m1 / k.c1) / denominator) * k.negLr) + x[j]);
  }
}

interface MomentumState { accumulations: Slot[]; momentum: number; useNesterov: boolean }

/** SGD with momentum (tf.train.momentum), Nesterov's variant included. */
export class FusedMomentum extends tf.MomentumOptimizer {
  override applyGradients(gradients: Gradients): void {
    const backend = wasmEngine();
    if (!backend) return super.applyGradients(gradients);
    const s = this as unknown as MomentumState;
    const mu = F(s.momentum);
    // tfjs keeps -lr in a float32 scalar, made anew by setLearningRate.
    const c = F(-this.learningRate);
    entries(gradients).forEach(([name, gradient], i) => {
      const accumulation = slot(s.accumulations, i, name, 'momentum');
      if (gradient == null) return;
      const [x, a] = writable(backend, tf.engine().registeredVariables[name], accumulation);
      momentumStep(heapView(backend, gradient), x, a, mu, c, s.useNesterov);
    });
    this.incrementIterations();
  }
}

/** a = mu a + g; x += c (nesterov ? g + a mu : a), c = -lr. */
function momentumStep(g: Float32Array, x: Float32Array, a: Float32Array, mu: number, c: number, nesterov: boolean): void {
  for (let j = 0; j < x.length; j++) {
    const a1 = F(F(mu * a[j]) + g[j]);
    a[j] = a1;
    const step = nesterov ? F(g[j] + F(a1 * mu)) : a1;
    x[j] = F(F(c * step) + x[j]);
  }
}

interface RMSPropState { accumulatedMeanSquares: Slot[]; accumulatedMoments: Slot[]; centered: boolean }

/** RMSProp without centring (tf.train.rmsprop's default); the centred variant keeps tfjs's update. */
export class FusedRMSProp extends tf.RMSPropOptimizer {
  override applyGradients(gradients: Gradients): void {
    const backend = wasmEngine();
    const s = this as unknown as RMSPropState;
    if (!backend || s.centered) return super.applyGradients(gradients);
    const k: RMSPropConstants = {
      decay: F(this.decay), rest: F(1 - this.decay), momentum: F(this.momentum), lr: F(this.learningRate), eps: F(this.epsilon),
    };
    entries(gradients).forEach(([name, gradient], i) => {
      const ms = slot(s.accumulatedMeanSquares, i, name, 'rms');
      const moments = slot(s.accumulatedMoments, i, name, 'momentum');
      if (gradient == null) return;
      const [x, msv, mv] = writable(backend, tf.engine().registeredVariables[name], ms, moments);
      rmspropStep(heapView(backend, gradient), x, msv, mv, k);
    });
    this.incrementIterations();
  }
}

interface RMSPropConstants { decay: number; rest: number; momentum: number; lr: number; eps: number }

/** ms = ms decay + g² (1 - decay); mom = mom momentum + g lr / sqrt(ms + eps); x -= mom. */
function rmspropStep(g: Float32Array, x: Float32Array, ms: Float32Array, mom: Float32Array, k: RMSPropConstants): void {
  for (let j = 0; j < x.length; j++) {
    const gj = g[j];
    const ms1 = F(F(ms[j] * k.decay) + F(F(gj * gj) * k.rest));
    const mom1 = F(F(mom[j] * k.momentum) + F(F(gj * k.lr) / F(Math.sqrt(F(ms1 + k.eps)))));
    ms[j] = ms1;
    mom[j] = mom1;
    x[j] = F(x[j] - mom1);
  }
}
