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
  /** The bench section it belongs to: reference models, the multi-modal spec. */
  section?: string;
  backend: string;
  /** Samples per step, to turn ms/step into samples/s. */
  batchSize: number;
  steps: number;
  /** Median step time: robust to other processes sharing the cores. */
  msPerStep: number;
  /** Fastest step: the closest to what an idle machine does. */
  minMs: number;
  samplesPerSec: number;
}

/** A named group of timings; later: the multi-modal spec, trials per hour. */
export interface BenchSection {
  name: string;
  run(backend: string): Promise<StepTiming[]>;
}

export interface BenchOptions {
  batchSize: number;
  /** Untimed steps first: the first step compiles kernels, packs weights and allocates. */
  warmup: number;
  steps: number;
}

export async function benchStep(name: string, step: StepFn, opts: BenchOptions): Promise<StepTiming> {
  for (let i = 0; i < opts.warmup; i++) await step();
  const times: number[] = [];
  for (let i = 0; i < opts.steps; i++) {
    const start = process.hrtime.bigint();
    await step();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const msPerStep = times[Math.floor(times.length / 2)];
  return {
    name, backend: tf.getBackend(), batchSize: opts.batchSize, steps: opts.steps,
    msPerStep, minMs: times[0], samplesPerSec: (opts.batchSize * 1000) / msPerStep,
  };
}
