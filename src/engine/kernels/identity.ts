/**
 * Identity override for wasm. tfjs's engine clones every tensor a gradient will need (one Identity
 * per saved input: 365 in a multi-modal training step), and wasm's Identity copies the data each
 * time. Tensors are immutable and the wasm backend counts references (its Reshape already shares
 * data), so sharing the buffer is what the cpu backend does too.
 */
import { Identity, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { callOriginal, wasmKernelFunc } from './wasm-util';

export const identity = wasmKernelFunc<'x', Record<string, never>>((args) => {
  const { x } = args.inputs;
  if (x.dtype === 'string') return callOriginal(Identity, args);
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype } satisfies TensorInfo;
});

export const identityConfig: KernelConfig = { kernelName: Identity, backendName: 'wasm', kernelFunc: identity };
