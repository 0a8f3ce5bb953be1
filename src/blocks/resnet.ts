import * as tfl from '@tensorflow/tfjs-layers';
import { BlockDef, BuildContext, Params, Sym } from './block';
import { applyLayer, exampleShape, requireRank } from './layers';
import { Hp, choice } from '../spec/space';

/**
 * A small ResNet of basic residual blocks (two 3x3 convolutions and a shortcut, joined with `add`):
 * a 3x3 stem, then `num_stages` stages that halve the resolution and double the filters.
 * AutoKeras's ResNetBlock loads ResNet50-152 from keras.applications; those take minutes per epoch
 * on a CPU, so we keep its `version` knob (v1: post-activation, v2: pre-activation) on a CIFAR-sized net.
 */
export const resnet: BlockDef = {
  type: 'resnet',
  doc: 'A small residual network on images [h, w, c]: stem convolution, then stages of basic residual blocks.',
  arity: 'one',
  params: {
    version: Hp.enum(['v1', 'v2'], { default: choice('v2', 'v1'), doc: 'v1 adds then activates; v2 normalises and activates before each convolution' }),
    num_stages: Hp.int({ min: 1, max: 4, default: choice(3, 2), doc: 'stages; each halves height and width and doubles the filters' }),
    blocks_per_stage: Hp.int({ min: 1, max: 8, default: choice(1, 2, 3), doc: 'residual blocks per stage' }),
    filters: Hp.int({ min: 1, default: choice(16, 32, 64), doc: 'filters of the stem and the first stage' }),
  },
  build(ctx: BuildContext, [input]: Sym[], p: Params): Sym {
    requireRank(ctx, 'resnet', input, [3], 'image-like features [h, w, c]');
    const v2 = p.version === 'v2';
    let x = conv(ctx, input, p.filters, 3, 1);
    if (!v2) x = bnRelu(ctx, x);
    for (let stage = 0; stage < p.num_stages; stage++) {
      const filters = p.filters * 2 ** stage;
      for (let b = 0; b < p.blocks_per_stage; b++) {
        const strides = b === 0 ? 2 : 1;
        x = v2 ? blockV2(ctx, x, filters, strides) : blockV1(ctx, x, filters, strides);
      }
    }
    return v2 ? bnRelu(ctx, x) : x;
  },
};

// Bias-free convolutions: every one is followed by batch normalisation, whose shift replaces it.
const conv = (ctx: BuildContext, x: Sym, filters: number, kernelSize: number, strides: number): Sym =>
  applyLayer(tfl.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, name: ctx.layerName('conv') }), x);
const bn = (ctx: BuildContext, x: Sym): Sym => applyLayer(tfl.layers.batchNormalization({ name: ctx.layerName('bn') }), x);
const relu = (ctx: BuildContext, x: Sym): Sym => applyLayer(tfl.layers.reLU({ name: ctx.layerName('relu') }), x);
const bnRelu = (ctx: BuildContext, x: Sym): Sym => relu(ctx, bn(ctx, x));
const add = (ctx: BuildContext, a: Sym, b: Sym): Sym => applyLayer(tfl.layers.add({ name: ctx.layerName('add') }), [a, b]);

/** A shortcut needs a 1x1 projection when the block changes resolution or width. */
const needsProjection = (x: Sym, filters: number, strides: number) => strides !== 1 || exampleShape(x)[2] !== filters;

/** Post-activation (He et al. 2015): conv-bn-relu-conv-bn, add the shortcut, relu. */
function blockV1(ctx: BuildContext, x: Sym, filters: number, strides: number): Sym {
  const shortcut = needsProjection(x, filters, strides) ? bn(ctx, conv(ctx, x, filters, 1, strides)) : x;
  const y = bn(ctx, conv(ctx, bnRelu(ctx, conv(ctx, x, filters, 3, strides)), filters, 3, 1));
  return relu(ctx, add(ctx, y, shortcut));
}

/** Pre-activation (He et al. 2016): bn-relu-conv twice; the projection reads the activated input. */
function blockV2(ctx: BuildContext, x: Sym, filters: number, strides: number): Sym {
  const pre = bnRelu(ctx, x);
  const shortcut = needsProjection(x, filters, strides) ? conv(ctx, pre, filters, 1, strides) : x;
  const y = conv(ctx, bnRelu(ctx, conv(ctx, pre, filters, 3, strides)), filters, 3, 1);
  return add(ctx, y, shortcut);
}
