/**
 * Convolution and pooling that work on both image features [h, w, c] (2-D) and sequences [t, c]
 * (1-D), with AutoKeras's padding rule, so the conv block and the text block share one code path.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { BuildContext, Sym, featureRank } from './block';
import { applyLayer, exampleShape } from './layers';

export interface ConvArgs {
  filters: number;
  kernelSize: number;
  separable: boolean;
}

const spatialDims = (x: Sym): Array<number | null> => exampleShape(x).slice(0, -1);

/**
 * AutoKeras's rule: 'valid' only when every spatial size is at least twice the window, so valid
 * convolutions shrink large inputs (cheaper) but never consume a small one; 'same' otherwise.
 */
export function paddingFor(x: Sym, window: number): 'valid' | 'same' {
  return spatialDims(x).every((d) => d !== null && d >= 2 * window) ? 'valid' : 'same';
}

/** One ReLU convolution, 2-D or 1-D after the input's rank. */
export function convLayer(ctx: BuildContext, x: Sym, a: ConvArgs): Sym {
  const common = { filters: a.filters, padding: paddingFor(x, a.kernelSize), activation: 'relu' as const };
  if (featureRank(x) === 3) {
    const layer = a.separable
      ? tfl.layers.separableConv2d({ ...common, kernelSize: a.kernelSize, name: ctx.layerName('sepconv') })
      : tfl.layers.conv2d({ ...common, kernelSize: a.kernelSize, name: ctx.layerName('conv') });
    return applyLayer(layer, x);
  }
  if (!a.separable) return applyLayer(tfl.layers.conv1d({ ...common, kernelSize: a.kernelSize, name: ctx.layerName('conv') }), x);
  return separableConv1d(ctx, x, common, a.kernelSize);
}

/**
 * tfjs-layers has no SeparableConv1D; Keras implements it as a 2-D separable convolution over
 * [t, 1, c] with a [k, 1] kernel, and so do we, with standard layers only (exports load anywhere).
 */
function separableConv1d(ctx: BuildContext, x: Sym, common: { filters: number; padding: 'valid' | 'same'; activation: 'relu' }, k: number): Sym {
  const [steps, channels] = exampleShape(x) as [number | null, number];
  const wide = applyLayer(tfl.layers.reshape({ targetShape: [steps ?? -1, 1, channels], name: ctx.layerName('reshape') }), x);
  const conv = applyLayer(tfl.layers.separableConv2d({ ...common, kernelSize: [k, 1], name: ctx.layerName('sepconv') }), wide);
  // The convolution's own output shape: a reshape to [-1, filters] would lose the known length.
  const outSteps = exampleShape(conv)[0];
  return applyLayer(tfl.layers.reshape({ targetShape: [outSteps ?? -1, common.filters], name: ctx.layerName('reshape') }), conv);
}

/**
 * Max pooling with a window of `size`, skipped when some spatial size is smaller than the window
 * (pooling would leave nothing, or nothing worth pooling). Valid padding keeps every size >= 1.
 */
export function maxPool(ctx: BuildContext, x: Sym, size: number): Sym {
  const dims = spatialDims(x);
  if (size < 2 || dims.some((d) => d !== null && d < size)) return x;
  const padding = dims.every((d) => d !== null) ? 'valid' : 'same';
  const layer =
    featureRank(x) === 3
      ? tfl.layers.maxPooling2d({ poolSize: size, padding, name: ctx.layerName('pool') })
      : tfl.layers.maxPooling1d({ poolSize: size, padding, name: ctx.layerName('pool') });
  return applyLayer(layer, x);
}
