/**
 * MaxPool guard for wasm. tfjs's wasm MaxPool (XNNPACK) writes out of bounds when a stride exceeds
 * the pool size, or when its own output size from the padding differs from tfjs's (numeric pads
 * with a rounding mode), corrupting the heap: every later kernel then fails with "memory access
 * out of bounds". Those rare pools run here in JS; all others go to the original kernel.
 */
import { KernelConfig, MaxPool, MaxPoolAttrs, backend_util } from '@tensorflow/tfjs-core';
import { callOriginal, f32, wasmKernelFunc } from './wasm-util';

export const maxPool = wasmKernelFunc<'x', MaxPoolAttrs>((args) => {
  const { x } = args.inputs;
  const a = args.attrs;
  const g = backend_util.computePool2DInfo(
    x.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const safe = g.strideHeight <= g.filterHeight && g.strideWidth <= g.filterWidth && xnnpackAgrees(g);
  if (safe || x.dtype !== 'float32') return callOriginal(MaxPool, args);
  const out = args.backend.makeOutput(g.outShape, 'float32');
  pool(f32(args.backend, x), f32(args.backend, out), g);
  return out;
});

/** The output size XNNPACK derives from the padding matches the one tfjs allocated. */
function xnnpackAgrees(g: backend_util.Conv2DInfo): boolean {
  const p = g.padInfo;
  const outH = Math.floor((g.inHeight + p.top + p.bottom - g.filterHeight) / g.strideHeight) + 1;
  const outW = Math.floor((g.inWidth + p.left + p.right - g.filterWidth) / g.strideWidth) + 1;
  return outH === g.outHeight && outW === g.outWidth;
}

function pool(x: Float32Array, y: Float32Array, g: backend_util.Conv2DInfo): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * g.strideHeight - g.padInfo.top;
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * g.strideWidth - g.padInfo.left;
        for (let c = 0; c < C; c++) {
          let best = Number.NEGATIVE_INFINITY;
          for (let h = Math.max(0, h0); h < Math.min(H, h0 + g.filterHeight); h++) {
            for (let w = Math.max(0, w0); w < Math.min(W, w0 + g.filterWidth); w++) {
              best = Math.max(best, x[((n * H + h) * W + w) * C + c]);
            }
          }
          y[o++] = best;
        }
      }
    }
  }
}

export const maxPoolConfig: KernelConfig = { kernelName: MaxPool, backendName: 'wasm', kernelFunc: maxPool };
