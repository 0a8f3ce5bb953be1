/**
 * Sum override for wasm. Bias gradients sum dy over its leading axes (batch and space), which
 * tfjs's wasm Sum does by transposing the whole tensor first (~10x slower than needed). XNNPACK's
 * average pooling reduces over rows at memory speed, channels innermost: sum = pool size × mean.
 */
import { KernelConfig, Sum, SumAttrs, TensorInfo, backend_util, util } from '@tensorflow/tfjs-core';
import { callOriginal, f32, wasmKernelFunc, withScratch } from './wasm-util';

/** Below this many elements the transpose is cheap and the original kernel is as fast. */
const SMALL_INPUT = 16 * 1024;
/** Largest pooling window; a longer reduction is split into windows and their sums added. */
const MAX_WINDOW = 1024;

export const sum = wasmKernelFunc<'x', SumAttrs>((args) => {
  const { x } = args.inputs;
  const axes = util.parseAxisParam(args.attrs.axis, x.shape);
  const leading = axes.length > 0 && axes.every((a) => a < axes.length) && axes.length < x.shape.length;
  if (!leading || x.dtype !== 'float32' || util.sizeFromShape(x.shape) < SMALL_INPUT) return callOriginal(Sum, args);
  const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
  const window = largestDivisor(rows, MAX_WINDOW);
  if (window < 8) return callOriginal(Sum, args);
  const innerShape = x.shape.slice(axes.length);
  const inner = util.sizeFromShape(innerShape);
  const outShape = args.attrs.keepDims ? backend_util.expandShapeToKeepDim(innerShape, axes) : innerShape;
  return withScratch(args.backend, (s): TensorInfo => {
    const windows = rows / window;
    const x4 = s.run('Reshape', { x }, { shape: [windows, window, 1, inner] });
    const means = s.run('AvgPool', { x: x4 }, { filterSize: [window, 1], strides: [window, 1], pad: 'valid' });
    const perWindow = s.run('Reshape', { x: means }, { shape: [windows, inner] });
    const meanTotal = s.run(Sum, { x: perWindow }, { axis: [0], keepDims: false });
    const scale = s.alloc([1]);
    f32(s.backend, scale)[0] = window;
    const total = s.run('Multiply', { a: meanTotal, b: scale });
    return s.keep(s.run('Reshape', { x: total }, { shape: outShape }));
  });
});

function largestDivisor(n: number, atMost: number): number {
  for (let d = Math.min(n, atMost); d > 1; d--) if (n % d === 0) return d;
  return 1;
}

export const sumConfig: KernelConfig = { kernelName: Sum, backendName: 'wasm', kernelFunc: sum };
