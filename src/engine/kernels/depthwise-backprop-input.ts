/**
 * DepthwiseConv2dNativeBackpropInput for wasm (tfjs has none): a direct scatter loop, see
 * depthwise-backprop-filter.ts for the layout.
 */
import { DepthwiseConv2dNativeBackpropInput, DepthwiseConv2dNativeBackpropInputAttrs, KernelConfig } from '@tensorflow/tfjs-core';
import { ConvInfo, convGeometry } from './conv-geometry';
import { forEachDepthwiseTap } from './depthwise-taps';
import { f32, wasmKernelFunc } from './wasm-util';

export const depthwiseConv2dNativeBackpropInput = wasmKernelFunc<'dy' | 'filter', DepthwiseConv2dNativeBackpropInputAttrs>(({ inputs, backend: wasm, attrs: a }) => {
  const { dy, filter } = inputs;
  const g = convGeometry(DepthwiseConv2dNativeBackpropInput, a.inputShape, filter.shape, a, true);
  const out = wasm.makeOutput(a.inputShape, 'float32');
  const dx = f32(wasm, out);
  dx.fill(0);
  scatter(f32(wasm, dy), f32(wasm, filter), dx, g);
  return out;
});

function scatter(dy: Float32Array, w: Float32Array, dx: Float32Array, g: ConvInfo): void {
  const C = g.inChannels;
  const CO = g.outChannels;
  const mult = CO / C;
  forEachDepthwiseTap(g, mult === 1
    ? (xo, yo, wo) => { for (let c = 0; c < C; c++) dx[xo + c] += dy[yo + c] * w[wo + c]; }
    : (xo, yo, wo) => { for (let k = 0; k < CO; k++) dx[xo + ((k / mult) | 0)] += dy[yo + k] * w[wo + k]; });
}

export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput,
};
