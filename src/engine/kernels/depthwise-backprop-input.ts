/**
 * DepthwiseConv2dNativeBackpropInput for wasm (tfjs has none): a direct scatter loop, see
 * depthwise-backprop-filter.ts for the layout.
 */
import { DepthwiseConv2dNativeBackpropInput, DepthwiseConv2dNativeBackpropInputAttrs, KernelConfig } from '@tensorflow/tfjs-core';
import { ConvInfo, convGeometry } from './conv-geometry';
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
              for (let c = 0; c < C; c++) dx[xo + c] += dy[yo + c] * w[wo + c];
            } else {
              for (let k = 0; k < CO; k++) dx[xo + ((k / mult) | 0)] += dy[yo + k] * w[wo + k];
            }
          }
        }
      }
    }
  }
}

export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput,
};
