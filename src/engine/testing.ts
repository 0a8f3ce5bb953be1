/**
 * Helpers for the engine's tests: seeded data and running one computation on the cpu reference
 * backend and on wasm with identical inputs. (Not named *.test.ts: it holds no tests itself.)
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-layers' bundle is what registers tfjs-core's gradients in Node.
import '@tensorflow/tfjs-layers';
import { initEngine } from './backend';

/** mulberry32: tiny seeded PRNG so every run checks the same numbers. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomArray(size: number, seed: number, lo = -1, hi = 1): Float32Array {
  const next = seededRandom(seed);
  return Float32Array.from({ length: size }, () => lo + (hi - lo) * next());
}

export interface Input { values: Float32Array | Int32Array; shape: number[] }

/** Runs `compute` on a backend with fresh tensors made from `inputs`; returns its values. */
export async function runOn(
  backend: 'cpu' | 'wasm', inputs: Record<string, Input>, compute: (t: Record<string, tf.Tensor>) => tf.Tensor,
): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [name, { values, shape }] of Object.entries(inputs)) {
      tensors[name] = tf.tensor(values, shape, values instanceof Int32Array ? 'int32' : 'float32');
    }
    const out = compute(tensors);
    return { values: Float32Array.from(out.dataSync()), shape: out.shape };
  });
}

/** A float32 tensor's bytes: what bit-for-bit comparisons compare. */
export function bits(t: tf.Tensor): Buffer {
  return Buffer.from((t.dataSync() as Float32Array).slice().buffer);
}

/** Largest |a - b| relative to the largest |ref| (floored so all-zero results compare absolutely). */
export function relativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-3;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - reference[i]));
    scale = Math.max(scale, Math.abs(reference[i]));
  }
  return Number.isNaN(diff) ? Infinity : diff / scale;
}

/**
 * cpu vs wasm for one computation: returns the relative error, throws on a shape mismatch.
 * `reference_` replaces `compute` on cpu where the cpu kernel needs another formulation.
 */
export async function compareWithCpu(
  inputs: Record<string, Input>, compute: (t: Record<string, tf.Tensor>) => tf.Tensor,
  reference_: (t: Record<string, tf.Tensor>) => tf.Tensor = compute,
): Promise<number> {
  const reference = await runOn('cpu', inputs, reference_);
  const actual = await runOn('wasm', inputs, compute);
  if (reference.shape.join() !== actual.shape.join()) {
    throw new Error(`shape ${actual.shape} on wasm, ${reference.shape} on cpu`);
  }
  return relativeError(actual.values, reference.values);
}

let ready: Promise<unknown> | undefined;

/** Loads wasm with our kernels once per test process (cpu is registered by the import above). */
export function engineReady(): Promise<unknown> {
  ready ??= initEngine('wasm');
  return ready;
}
