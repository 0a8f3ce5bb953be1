/**
 * Per-kernel time of a step on the active backend, to know what to optimise. Wraps every kernel
 * registered for the backend with a timer (exclusive of nested kernel calls), then restores them.
 * Only meaningful for synchronous backends (cpu, wasm), where a kernel's work ends when it returns.
 */
import * as tf from '@tensorflow/tfjs-core';
import { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { StepFn } from './harness';

export interface KernelTime { kernel: string; calls: number; ms: number }

export async function profileStep(step: StepFn, steps: number): Promise<KernelTime[]> {
  const backend = tf.getBackend();
  const totals = new Map<string, KernelTime>();
  const originals = tf.getKernelsForBackend(backend);
  let depth = 0;
  const wrap = (config: KernelConfig): KernelFunc => (args) => {
    if (depth++ > 0) {
      try { return config.kernelFunc(args); } finally { depth--; }
    }
    const start = process.hrtime.bigint();
    try {
      return config.kernelFunc(args);
    } finally {
      depth--;
      const entry = totals.get(config.kernelName) ?? { kernel: config.kernelName, calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += Number(process.hrtime.bigint() - start) / 1e6;
      totals.set(config.kernelName, entry);
    }
  };
  swap(originals, (c) => ({ ...c, kernelFunc: wrap(c) }));
  try {
    for (let i = 0; i < steps; i++) await step();
  } finally {
    swap(originals, (c) => c);
  }
  return [...totals.values()]
    .map((t) => ({ ...t, ms: t.ms / steps, calls: t.calls / steps }))
    .sort((a, b) => b.ms - a.ms);
}

function swap(configs: KernelConfig[], replace: (c: KernelConfig) => KernelConfig): void {
  for (const config of configs) {
    tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(replace(config));
  }
}
