/**
 * Bilinear resizing from standard layers. tfjs-layers 4.22's Resizing layer reports its output
 * shape without the batch dimension, so a graph that continues after it cannot be built, nor loaded
 * again by plain tfjs. A bilinear resize is linear in each axis: out = A_h · image · A_wᵀ per
 * channel, which is two frozen bias-free dense layers (on the last axis) between permutes.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { BuildContext, Sym } from '../blocks/block';
import { applyLayer, exampleShape } from '../blocks/layers';

/** [h, w, c] -> [height, width, c], with half-pixel centres (Keras's Resizing, TF2's resize). */
export function resizeBilinear(ctx: BuildContext, x: Sym, height: number, width: number): Sym {
  const [h, w] = exampleShape(x) as number[];
  let y = applyLayer(tfl.layers.permute({ dims: [3, 1, 2], name: ctx.layerName('resize_permute') }), x); // [c, h, w]
  y = frozenDense(ctx, y, interpolation(w, width)); // [c, h, width]
  y = applyLayer(tfl.layers.permute({ dims: [1, 3, 2], name: ctx.layerName('resize_permute') }), y); // [c, width, h]
  y = frozenDense(ctx, y, interpolation(h, height)); // [c, width, height]
  return applyLayer(tfl.layers.permute({ dims: [3, 2, 1], name: ctx.layerName('resize_permute') }), y); // [height, width, c]
}

/** A dense layer whose kernel is the given matrix [in, out], never trained. */
function frozenDense(ctx: BuildContext, x: Sym, kernel: { rows: number; cols: number; values: Float32Array }): Sym {
  // Zeros, not random: the kernel is set right after, and no random number is drawn.
  const layer = tfl.layers.dense({ units: kernel.cols, useBias: false, trainable: false, kernelInitializer: 'zeros', name: ctx.layerName('resize') });
  const y = applyLayer(layer, x);
  tf.tidy(() => layer.setWeights([tf.tensor2d(kernel.values, [kernel.rows, kernel.cols])]));
  return y;
}

/** The [from, to] matrix taking `from` samples to `to` by linear interpolation at half-pixel centres. */
export function interpolation(from: number, to: number): { rows: number; cols: number; values: Float32Array } {
  const values = new Float32Array(from * to);
  for (let j = 0; j < to; j++) {
    const source = Math.min(Math.max((j + 0.5) * (from / to) - 0.5, 0), from - 1);
    const lo = Math.floor(source);
    const hi = Math.min(lo + 1, from - 1);
    const t = source - lo;
    values[lo * to + j] += 1 - t;
    values[hi * to + j] += t;
  }
  return { rows: from, cols: to, values };
}
