/**
 * DepthwiseConv2dNativeBackpropFilter for wasm (tfjs has none). Depthwise work is small (kh*kw
 * multiply-adds per element), so a direct loop over the wasm heap is fast enough.
 * filter: [KH, KW, C, mult]; dy channel c*mult + m pairs input channel c with multiplier m.
 */
import { DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropFilterAttrs, KernelConfig } from '@tensorflow/tfjs-core';
import { ConvInfo, convGeometry } from './conv-geometry';
import { f32, wasmKernelFunc } from './wasm-util';

export const depthwiseConv2dNativeBackpropFilter = wasmKernelFunc<'x' | 'dy', DepthwiseConv2dNativeBackpropFilterAttrs>(({ inputs, backend: wasm, attrs: a }) => {
  const { x, dy } = inputs;
  const g = convGeometry(DepthwiseConv2dNativeBackpropFilter, x.shape, a.filterShape, a, true);
  const out = wasm.makeOutput(a.filterShape, 'float32');
  // Sums run over batch and space: accumulate in float64 as the cpu reference does.
  const acc = new Float64Array(out.shape.reduce((p, d) => p * d, 1));
  accumulate(f32(wasm, x), f32(wasm, dy), acc, g);
  f32(wasm, out).set(acc);
  return out;
});

function accumulate(x: Float32Array, dy: Float32Array, dw: Float64Array, g: ConvInfo): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: KH, filterWidth: KW, outChannels: CO } = g;
  const mult = CO / C;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const yo = ((n * OH + oh) * OW + ow) * CO;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * g.strideHeight + kh * g.dilationHeight - g.padInfo.top;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * g.strideWidth + kw * g.dilationWidth - g.padInfo.left;
            if (iw < 0 || iw >= W) continue;
            const xo = ((n * H + ih) * W + iw) * C;
            const wo = (kh * KW + kw) * CO;
            if (mult === 1) {
              for (let c = 0; c < C; c++) dw[wo + c] += x[xo + c] * dy[yo + c];
            } else {
              for (let k = 0; k < CO; k++) dw[wo + k] += x[xo + ((k / mult) | 0)] * dy[yo + k];
            }
          }
        }
      }
    }
  }
}

export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter,
};
