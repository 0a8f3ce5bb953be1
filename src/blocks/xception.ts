import * as tfl from '@tensorflow/tfjs-layers';
import { BlockDef, BuildContext, Params, Sym } from './block';
import { applyLayer, requireRank } from './layers';
import { Hp, choice } from '../spec/space';

/**
 * A small Xception (Chollet 2017) entry flow: a strided 3x3 stem, then `num_blocks` residual blocks of two
 * separable convolutions and a strided max pool, the shortcut a strided 1x1 convolution; filters
 * double per block. AutoKeras's XceptionBlock is the full 22M-weight keras.applications net,
 * far beyond a CPU trial, so only the architecture's pattern is kept.
 */
export const xception: BlockDef = {
  type: 'xception',
  doc: 'A small Xception on images [h, w, c]: stem convolution, then residual blocks of separable convolutions.',
  arity: 'one',
  params: {
    num_blocks: Hp.int({ min: 1, max: 6, default: choice(2, 1, 3), doc: 'residual blocks; each halves height and width and doubles the filters' }),
    filters: Hp.int({ min: 1, default: choice(16, 32, 64), doc: 'filters of the stem and the first block' }),
  },
  build(ctx: BuildContext, [input]: Sym[], p: Params): Sym {
    requireRank(ctx, 'xception', input, [3], 'image-like features [h, w, c]');
    // Strided like Xception's entry convolution: every separable layer after it then works on a
    // quarter of the positions, which is most of the block's cost.
    const stem = applyLayer(tfl.layers.conv2d({ filters: p.filters, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: ctx.layerName('conv') }), input);
    let x = relu(ctx, bn(ctx, stem));
    for (let b = 0; b < p.num_blocks; b++) x = block(ctx, x, p.filters * 2 ** b, b > 0);
    return relu(ctx, x);
  },
};

const bn = (ctx: BuildContext, x: Sym): Sym => applyLayer(tfl.layers.batchNormalization({ name: ctx.layerName('bn') }), x);
const relu = (ctx: BuildContext, x: Sym): Sym => applyLayer(tfl.layers.reLU({ name: ctx.layerName('relu') }), x);
const sepconv = (ctx: BuildContext, x: Sym, filters: number): Sym =>
  applyLayer(tfl.layers.separableConv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, name: ctx.layerName('sepconv') }), x);

/** As in Xception's entry flow the first block starts without ReLU: the stem just applied one. */
function block(ctx: BuildContext, x: Sym, filters: number, activateFirst: boolean): Sym {
  const projected = applyLayer(tfl.layers.conv2d({ filters, kernelSize: 1, strides: 2, padding: 'same', useBias: false, name: ctx.layerName('conv') }), x);
  const shortcut = bn(ctx, projected);
  let y = bn(ctx, sepconv(ctx, activateFirst ? relu(ctx, x) : x, filters));
  y = bn(ctx, sepconv(ctx, relu(ctx, y), filters));
  // 'same' padding with stride 2 gives ceil(size / 2): never below 1, and equal to the shortcut's size.
  y = applyLayer(tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', name: ctx.layerName('pool') }), y);
  return applyLayer(tfl.layers.add({ name: ctx.layerName('add') }), [y, shortcut]);
}
