/**
 * Tile override for wasm. The batch-norm gradient tiles the per-channel 1/sqrt(variance) to the
 * whole activation ([1,1,1,C] -> [N,H,W,C]); wasm's Tile maps every output element back to its
 * input index one at a time, ~90 ns an element (100 ms of a 290 ms multi-modal step). Here each
 * input row is copied once and every repetition is a doubling copyWithin, which runs at memory speed.
 */
import { KernelConfig, Tile, TileAttrs, TensorInfo, util } from '@tensorflow/tfjs-core';
import { callOriginal, wasmKernelFunc } from './wasm-util';

type Numbers = Float32Array | Int32Array | Uint8Array;

export const tile = wasmKernelFunc<'x', TileAttrs>((args) => {
  const { x } = args.inputs;
  const reps = args.attrs.reps;
  if (x.dtype === 'string' || x.shape.length === 0) return callOriginal(Tile, args);
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out: TensorInfo = args.backend.makeOutput(outShape, x.dtype);
  if (util.sizeFromShape(outShape) === 0) return out;
  const src = args.backend.typedArrayFromHeap(x) as Numbers;
  const dst = args.backend.typedArrayFromHeap(out) as Numbers;
  fill(src, dst, x.shape, reps, util.computeStrides(x.shape), util.computeStrides(outShape), 0, 0, 0);
  return out;
});

/**
 * Writes the tiling of the input block at `from` (its axes `axis`.. onwards) to `to`: the input's
 * sub-blocks first, each tiled in turn, then the whole block repeated reps[axis] times.
 */
function fill(
  src: Numbers, dst: Numbers, shape: number[], reps: number[],
  inStrides: number[], outStrides: number[], axis: number, from: number, to: number,
): void {
  const last = axis === shape.length - 1;
  const step = last ? 1 : outStrides[axis];
  if (last) dst.set(src.subarray(from, from + shape[axis]), to);
  else for (let i = 0; i < shape[axis]; i++) fill(src, dst, shape, reps, inStrides, outStrides, axis + 1, from + i * inStrides[axis], to + i * step);
  repeat(dst, to, shape[axis] * step, reps[axis]);
}

/** dst[to, to + block) copied so it appears `times` times in a row, doubling the copied span each pass. */
function repeat(dst: Numbers, to: number, block: number, times: number): void {
  const end = to + block * times;
  for (let filled = to + block; filled < end;) {
    const span = Math.min(filled - to, end - filled);
    dst.copyWithin(filled, to, to + span);
    filled += span;
  }
}

export const tileConfig: KernelConfig = { kernelName: Tile, backendName: 'wasm', kernelFunc: tile };
