/**
 * Conv2DBackpropInput for wasm. tfjs's own wasm kernel is a scalar loop, ~10x slower than the
 * XNNPACK forward conv, so we compute dx as a forward conv: dy (zero-dilated by the stride) padded
 * by (filter - 1 - pad), convolved with the filter rotated 180° and with in/out channels swapped.
 */
import { Conv2DBackpropInput, Conv2DBackpropInputAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { ConvInfo, convGeometry } from './conv-geometry';
import { Scratch, callOriginal, f32, wasmKernelFunc, withScratch } from './wasm-util';

export const conv2DBackpropInput = wasmKernelFunc<'dy' | 'filter', Conv2DBackpropInputAttrs>((args) => {
  const { dy, filter } = args.inputs;
  const a = args.attrs;
  const g = convGeometry(Conv2DBackpropInput, a.inputShape, filter.shape, { ...a, dilations: 1 });
  const pads = transposedPads(g);
  // Padding wider than the filter (explicit pads only) would need negative pads: rare, so the
  // original kernel handles it.
  if (pads.some((p) => p < 0)) return callOriginal(Conv2DBackpropInput, args);
  return withScratch(args.backend, (s): TensorInfo => {
    const rotated = rotateFilter(s, filter);
    const spread = g.strideHeight > 1 || g.strideWidth > 1 ? dilateByStride(s, dy, g) : dy;
    const [top, bottom, left, right] = pads;
    return s.keep(s.run('Conv2D', { x: spread, filter: rotated }, {
      strides: [1, 1], dilations: [1, 1], dataFormat: 'NHWC',
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    }));
  });
});

/** [top, bottom, left, right] padding of the (stride-dilated) dy so the conv outputs exactly dx. */
export function transposedPads(g: ConvInfo): number[] {
  const spreadH = (g.outHeight - 1) * g.strideHeight + 1;
  const spreadW = (g.outWidth - 1) * g.strideWidth + 1;
  const top = g.filterHeight - 1 - g.padInfo.top;
  const left = g.filterWidth - 1 - g.padInfo.left;
  return [top, g.inHeight + g.filterHeight - 1 - spreadH - top, left, g.inWidth + g.filterWidth - 1 - spreadW - left];
}

/** filter[kh, kw, c, co] -> rotated[KH-1-kh, KW-1-kw, co, c]. */
function rotateFilter(s: Scratch, filter: TensorInfo): TensorInfo {
  const [KH, KW, C, CO] = filter.shape;
  const out = s.alloc([KH, KW, CO, C]);
  const src = f32(s.backend, filter);
  const dst = f32(s.backend, out);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const from = (kh * KW + kw) * C * CO;
      const to = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * C * CO;
      for (let c = 0; c < C; c++) {
        for (let co = 0; co < CO; co++) dst[to + co * C + c] = src[from + c * CO + co];
      }
    }
  }
  return out;
}

/** dy with (stride - 1) zero rows/columns between its rows/columns. */
function dilateByStride(s: Scratch, dy: TensorInfo, g: ConvInfo): TensorInfo {
  const { batchSize: N, outHeight: OH, outWidth: OW, outChannels: CO, strideHeight: sh, strideWidth: sw } = g;
  const H = (OH - 1) * sh + 1;
  const W = (OW - 1) * sw + 1;
  const out = s.alloc([N, H, W, CO]);
  const src = f32(s.backend, dy);
  const dst = f32(s.backend, out);
  dst.fill(0);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const from = ((n * OH + oh) * OW + ow) * CO;
        dst.set(src.subarray(from, from + CO), ((n * H + oh * sh) * W + ow * sw) * CO);
      }
    }
  }
  return out;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput,
};
