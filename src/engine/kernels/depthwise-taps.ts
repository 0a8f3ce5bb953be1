/**
 * The loop nest both depthwise gradients share: every (output position, filter tap) pair whose
 * input position lies inside the image, as flat offsets into x/dx (xo), dy (yo) and the filter (wo).
 * Each gradient only differs in the update it makes per pair.
 */
import type { ConvInfo } from './conv-geometry';

export type TapVisit = (xo: number, yo: number, wo: number) => void;

export function forEachDepthwiseTap(g: ConvInfo, visit: TapVisit): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { filterHeight: KH, filterWidth: KW, outChannels: CO } = g;
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
            visit(((n * H + ih) * W + iw) * C, yo, (kh * KW + kw) * CO);
          }
        }
      }
    }
  }
}
