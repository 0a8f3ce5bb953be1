/**
 * Tensors' memory on the wasm engine, read and written in place from JavaScript: what lets an
 * optimizer update a weight in one loop instead of a dozen kernel calls (search/fused-optimizers.ts).
 * Only the wasm engine's memory is ours to write: the cpu engine may hold a caller's own array, and
 * native TensorFlow's memory is out of reach; there the callers keep tfjs's own path.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The wasm engine when it runs the computations now, else undefined. */
export function wasmEngine(): BackendWasm | undefined {
  return tf.getBackend() === 'wasm' ? (tf.backend() as unknown as BackendWasm) : undefined;
}

/**
 * A float32 view of a tensor's wasm memory. Take it after the last allocation: an allocation may
 * grow wasm memory, which detaches every earlier view.
 */
export function heapView(backend: BackendWasm, t: tf.Tensor): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/**
 * Makes `v` the only owner of its memory so that writing it in place changes nothing else: a
 * clone (the best epoch's weights), a reshape or the tensor it was assigned from share the memory
 * of the variable until it is assigned again, which tfjs's own optimizers do at every step.
 */
export function ownMemory(backend: BackendWasm, v: tf.Variable): void {
  if (backend.refCount(v.dataId) <= 1) return;
  tf.tidy(() => v.assign(tf.tensor(heapView(backend, v).slice(), v.shape, v.dtype)));
}

/**
 * Tells the wasm engine that a tensor's memory was written behind its back. Its kernels cache work
 * keyed by a tensor's id (xnnpack packs a matmul's or a conv's weights once per id), which tfjs's
 * immutable tensors never invalidate; a fresh id for the same memory drops those caches.
 */
export function markWritten(backend: BackendWasm, t: tf.Tensor): void {
  const engine = backend as unknown as { dataIdNextNumber: number };
  const data = backend.dataIdMap.get(t.dataId)!;
  backend.wasm.tfjs.disposeData(data.id);
  data.id = engine.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(data.id, t.size, data.memoryOffset);
}
