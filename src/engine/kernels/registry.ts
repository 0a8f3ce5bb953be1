/**
 * The one table of wasm training kernels. Nothing registers on import: call
 * registerWasmTrainingKernels() (initEngine does) once the wasm backend package is loaded.
 */
import { KernelConfig, getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { batchMatMulConfig, fusedMatMulConfig } from './batch-mat-mul';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-backprop-filter';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-backprop-input';
import { equalConfig } from './equal';
import { gatherV2Config } from './gather';
import { identityConfig } from './identity';
import { maxPoolConfig } from './max-pool';
import { maxPoolGradConfig } from './max-pool-grad';
import { sumConfig } from './sum';
import { tileConfig } from './tile';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum';
import { forgetOriginal, rememberOriginal } from './wasm-util';

/** Kernels tfjs's wasm backend lacks, without which training a model throws. */
export const ADDED_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/**
 * Kernels wasm has but runs on a slow scalar path (or, for MaxPool, writes out of bounds for some
 * strides and paddings, and for Identity, copies what it could share); the originals stay
 * reachable via wasmKernel().
 */
export const OVERRIDDEN_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropInputConfig,
  maxPoolGradConfig,
  maxPoolConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  sumConfig,
  equalConfig,
  gatherV2Config,
  tileConfig,
  identityConfig,
];

/** Registers every kernel of the table for 'wasm'; calling it again changes nothing. */
export function registerWasmTrainingKernels(): void {
  for (const config of ADDED_KERNELS) {
    if (getKernel(config.kernelName, 'wasm')?.kernelFunc === config.kernelFunc) continue;
    if (getKernel(config.kernelName, 'wasm') != null) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
  for (const config of OVERRIDDEN_KERNELS) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current == null) throw new Error(`wasm kernel ${config.kernelName} to override is not registered`);
    rememberOriginal(config.kernelName, current.kernelFunc);
    unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
}

/** Restores tfjs's own wasm kernels (for comparisons and benchmarks of the stock backend). */
export function unregisterWasmTrainingKernels(): void {
  for (const config of ADDED_KERNELS) {
    if (getKernel(config.kernelName, 'wasm')?.kernelFunc === config.kernelFunc) unregisterKernel(config.kernelName, 'wasm');
  }
  for (const config of OVERRIDDEN_KERNELS) {
    const original = forgetOriginal(config.kernelName);
    if (original == null) continue;
    unregisterKernel(config.kernelName, 'wasm');
    registerKernel({ ...config, kernelFunc: original });
  }
}
