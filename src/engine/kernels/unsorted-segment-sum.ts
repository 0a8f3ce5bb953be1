/**
 * UnsortedSegmentSum for wasm (tfjs has none); the gradient of gather, hence of embeddings.
 * out[segmentIds[i], ...] += x[i, ...]; ids outside [0, numSegments) are dropped, as in TF.
 */
import { KernelConfig, UnsortedSegmentSum, UnsortedSegmentSumAttrs, util } from '@tensorflow/tfjs-core';
import { wasmKernelFunc } from './wasm-util';

export const unsortedSegmentSum = wasmKernelFunc<'x' | 'segmentIds', UnsortedSegmentSumAttrs>(({ inputs, backend: wasm, attrs }) => {
  const { x, segmentIds } = inputs;
  const { numSegments } = attrs;
  const rows = util.sizeFromShape(segmentIds.shape);
  const inner = util.sizeFromShape(x.shape) / rows;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const out = wasm.makeOutput(outShape, x.dtype);
  const dst = wasm.typedArrayFromHeap(out);
  const src = wasm.typedArrayFromHeap(x);
  const ids = wasm.typedArrayFromHeap(segmentIds);
  dst.fill(0);
  for (let r = 0; r < rows; r++) {
    const id = ids[r];
    if (id < 0 || id >= numSegments) continue;
    const from = r * inner;
    const to = id * inner;
    for (let k = 0; k < inner; k++) dst[to + k] += src[from + k];
  }
  return out;
});

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};
