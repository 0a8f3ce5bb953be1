/**
 * Conv2DBackpropFilter for wasm (tfjs has none): im2col + one XNNPACK matMul.
 * Serves conv1d (a conv2d over a height-1 input), conv2d, and the pointwise half of separableConv2d.
 */
import { Conv2DBackpropFilter, Conv2DBackpropFilterAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { convGeometry } from './conv-geometry';
import { im2colTransposed } from './im2col';
import { f32, wasmKernelFunc, withScratch } from './wasm-util';

export const conv2DBackpropFilter = wasmKernelFunc<'x' | 'dy', Conv2DBackpropFilterAttrs>(({ inputs, backend, attrs: a }) => {
  const { x, dy } = inputs;
  const g = convGeometry(Conv2DBackpropFilter, x.shape, a.filterShape, { ...a, dilations: 1 });
  const K = g.filterHeight * g.filterWidth * g.inChannels;
  const M = g.batchSize * g.outHeight * g.outWidth;
  return withScratch(backend, (s): TensorInfo => {
    const xT = s.run('Transpose', { x }, { perm: [3, 0, 1, 2] });
    const cols = s.alloc([K, M]);
    im2colTransposed(f32(s.backend, xT), f32(s.backend, cols), g);
    const dy2 = s.run('Reshape', { x: dy }, { shape: [M, g.outChannels] });
    const dw = s.run('BatchMatMul', { a: cols, b: dy2 }, { transposeA: false, transposeB: false });
    return s.keep(s.run('Reshape', { x: dw }, { shape: a.filterShape }));
  });
});

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
