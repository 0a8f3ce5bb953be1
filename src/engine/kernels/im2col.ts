/**
 * im2col in the layout the filter gradient needs: cols[K, M] with K = (kh, kw, c) in filter
 * order and M = (n, oh, ow) in dy order, so dW = cols · dy[M, Cout] is a plain matMul (wasm's
 * matMul is only fast without transposes).
 */
import type { ConvInfo } from './conv-geometry';

/**
 * Fills `cols` from `xT`, the input transposed to [C, N, H, W]: every row of cols is then read
 * from contiguous input rows, which is several times faster in JS than gathering from NHWC.
 */
export function im2colTransposed(xT: Float32Array, cols: Float32Array, g: ConvInfo): void {
  const sameSize = g.outHeight === g.inHeight && g.outWidth === g.inWidth;
  const unitStride = g.strideHeight === 1 && g.strideWidth === 1;
  if (sameSize && unitStride && xT.buffer === cols.buffer) return im2colShiftedPlanes(xT, cols, g);
  const { inChannels: C, batchSize: N, inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: KH, filterWidth: KW } = g;
  const M = N * OH * OW;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const [lo, hi] = validRange(kw * g.dilationWidth - g.padInfo.left, g.strideWidth, W, OW);
      for (let c = 0; c < C; c++) {
        const row = ((kh * KW + kw) * C + c) * M;
        fillRow(xT, cols, row, c * N * H * W, kh, kw, lo, hi, g);
      }
    }
  }
}

/** Output columns [lo, hi) whose input column ow*stride + start lies inside [0, size). */
function validRange(start: number, stride: number, size: number, outSize: number): [number, number] {
  let lo = 0;
  while (lo < outSize && lo * stride + start < 0) lo++;
  let hi = outSize;
  while (hi > lo && (hi - 1) * stride + start >= size) hi--;
  return [lo, hi];
}

function fillRow(
  xT: Float32Array, cols: Float32Array, row: number, plane: number,
  kh: number, kw: number, lo: number, hi: number, g: ConvInfo,
): void {
  const { batchSize: N, inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = g;
  const sw = g.strideWidth;
  const colStart = kw * g.dilationWidth - g.padInfo.left;
  let o = row;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const ih = oh * g.strideHeight + kh * g.dilationHeight - g.padInfo.top;
      if (ih < 0 || ih >= H) {
        cols.fill(0, o, o + OW);
        o += OW;
        continue;
      }
      const base = plane + (n * H + ih) * W + colStart;
      let ow = 0;
      for (; ow < lo; ow++) cols[o++] = 0;
      for (; ow < hi; ow++) cols[o++] = xT[base + ow * sw];
      for (; ow < OW; ow++) cols[o++] = 0;
    }
  }
}

/**
 * The common 'same', stride-1 case: each row block of cols is the input plane shifted by the tap's
 * offset, so one native copyWithin per (tap, channel, image) moves it, then the few entries that
 * wrapped around a row edge are zeroed. Per-element JS loops are ~5x slower.
 */
function im2colShiftedPlanes(xT: Float32Array, cols: Float32Array, g: ConvInfo): void {
  const { inChannels: C, batchSize: N, inHeight: H, inWidth: W, filterHeight: KH, filterWidth: KW } = g;
  const heap = new Float32Array(xT.buffer);
  const src0 = xT.byteOffset / 4;
  const dst0 = cols.byteOffset / 4;
  const plane = H * W;
  const M = N * plane;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const dh = kh * g.dilationHeight - g.padInfo.top;
      const dw = kw * g.dilationWidth - g.padInfo.left;
      const shift = dh * W + dw;
      const lo = Math.max(0, -shift);
      const hi = Math.min(plane, plane - shift);
      for (let c = 0; c < C; c++) {
        for (let n = 0; n < N; n++) {
          const dst = dst0 + ((kh * KW + kw) * C + c) * M + n * plane;
          const src = src0 + (c * N + n) * plane;
          if (hi <= lo) {
            heap.fill(0, dst, dst + plane);
            continue;
          }
          heap.fill(0, dst, dst + lo);
          heap.copyWithin(dst + lo, src + lo + shift, src + hi + shift);
          heap.fill(0, dst + hi, dst + plane);
          zeroWrappedColumns(heap, dst, H, W, dw);
        }
      }
    }
  }
}

function zeroWrappedColumns(heap: Float32Array, dst: number, H: number, W: number, dw: number): void {
  if (dw === 0) return;
  const from = dw > 0 ? W - dw : 0;
  const to = dw > 0 ? W : -dw;
  for (let h = 0; h < H; h++) {
    const row = dst + h * W;
    for (let w = Math.max(0, from); w < Math.min(W, to); w++) heap[row + w] = 0;
  }
}
