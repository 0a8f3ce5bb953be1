/**
 * GatherV2 override for wasm: the embedding lookup. tfjs's wasm Gather spends ~100 ns an element;
 * rows of an embedding table are contiguous, so one native copyWithin per looked-up row does it.
 */
import { GatherV2, GatherV2Attrs, KernelConfig, backend_util, util } from '@tensorflow/tfjs-core';
import { EngineError } from '../errors';
import { callOriginal, wasmKernelFunc } from './wasm-util';

/** Below this slice length a JS loop beats a copyWithin call. */
const MIN_SLICE = 8;

export const gatherV2 = wasmKernelFunc<'x' | 'indices', GatherV2Attrs>((args) => {
  const { x, indices } = args.inputs;
  const axis = util.parseAxisParam(args.attrs.axis, x.shape)[0];
  const info = backend_util.segment_util.collectGatherOpShapeInfo(
    x as never, indices as never, axis, args.attrs.batchDims);
  // copyWithin on a Float32Array moves 4-byte elements: right for float32 and int32 only.
  if ((x.dtype !== 'float32' && x.dtype !== 'int32') || info.sliceSize < MIN_SLICE || util.sizeFromShape(x.shape) === 0) return callOriginal(GatherV2, args);
  const wasm = args.backend;
  const out = wasm.makeOutput(info.outputShape, x.dtype);
  const ids = wasm.typedArrayFromHeap(indices);
  const src = wasm.typedArrayFromHeap(x);
  const heap = new Float32Array(src.buffer);
  const src0 = src.byteOffset / 4;
  const dst0 = wasm.typedArrayFromHeap(out).byteOffset / 4;
  const { batchSize, outerSize, dimSize, sliceSize } = info;
  const perBatch = ids.length / batchSize;
  let o = dst0;
  for (let b = 0; b < batchSize; b++) {
    for (let outer = 0; outer < outerSize; outer++) {
      const base = src0 + (b * outerSize + outer) * dimSize * sliceSize;
      for (let i = 0; i < perBatch; i++) {
        const id = ids[b * perBatch + i];
        if (!(id >= 0 && id < dimSize)) throw new EngineError(`GatherV2: the index value ${id} is not in [0, ${dimSize - 1}]`);
        heap.copyWithin(o, base + id * sliceSize, base + (id + 1) * sliceSize);
        o += sliceSize;
      }
    }
  }
  return out;
});

export const gatherV2Config: KernelConfig = { kernelName: GatherV2, backendName: 'wasm', kernelFunc: gatherV2 };
