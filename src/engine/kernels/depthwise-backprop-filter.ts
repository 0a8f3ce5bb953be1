/**
 * DepthwiseConv2dNativeBackpropFilter for wasm (tfjs has none). Depthwise work is small (kh*kw
 * multiply-adds per element), so a direct loop over the wasm heap is fast enough.
 * filter: [KH, KW, C, mult]; dy channel c*mult + m pairs input channel c with multiplier m.
 */
import { DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropFilterAttrs, KernelConfig } from '@tensorflow/tfjs-core';
import { ConvInfo, convGeometry } from './conv-geometry';
import { forEachDepthwiseTap } from './depthwise-taps';
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
  const C = g.inChannels;
  const CO = g.outChannels;
  const mult = CO / C;
  forEachDepthwiseTap(g, mult === 1
    ? (xo, yo, wo) => { for (let c = 0; c < C; c++) dw[wo + c] += x[xo + c] * dy[yo + c]; }
    : (xo, yo, wo) => { for (let k = 0; k < CO; k++) dw[wo + k] += x[xo + ((k / mult) | 0)] * dy[yo + k]; });
}

export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter,
};
