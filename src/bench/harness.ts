/**
 * The benchmark harness: times a training step function on the active backend. Sections
 * (reference models now; later the multi-modal spec and trials per hour) are just named step
 * functions handed to benchStep().
 */
import * as tf from '@tensorflow/tfjs-core';

/** One training step; resolves when its work is done (the loss has been read back). */
export type StepFn = () => Promise<unknown> | unknown;

export interface StepTiming {
  name: string;
  backend: string;
  /** Samples per step, to turn ms/step into samples/s. */
  batchSize: number;
  steps: number;
  msPerStep: number;
  samplesPerSec: number;
}

export interface BenchOptions {
  batchSize: number;
  /** Untimed steps first: the first step compiles kernels, packs weights and allocates. */
  warmup: number;
  steps: number;
}

export async function benchStep(name: string, step: StepFn, opts: BenchOptions): Promise<StepTiming> {
  for (let i = 0; i < opts.warmup; i++) await step();
  const start = process.hrtime.bigint();
  for (let i = 0; i < opts.steps; i++) await step();
  const msPerStep = Number(process.hrtime.bigint() - start) / 1e6 / opts.steps;
  return {
    name, backend: tf.getBackend(), batchSize: opts.batchSize, steps: opts.steps,
    msPerStep, samplesPerSec: (opts.batchSize * 1000) / msPerStep,
  };
}
