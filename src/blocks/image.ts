import { BlockDef, BuildContext, Params, Sym, resolveBlock, resolveParams } from './block';
import { conv } from './conv';
import { imageAugmentation } from './image-augmentation';
import { normalization } from './normalization';
import { resnet } from './resnet';
import { xception } from './xception';
import { requireRank } from './layers';
import { Hp, choice } from '../spec/space';
import type { HpScope } from '../search/hp';

/** The backbones an image block chooses among; the chosen one's parameters are scoped by its name. */
const BACKBONES: Record<string, BlockDef> = { conv, resnet, xception };

/**
 * AutoKeras's ImageBlock: normalisation, augmentation, then one backbone. Hyperparameters are scoped
 * `<block>/block_type`, `<block>/conv/filters`, `<block>/image_augmentation/...`, and a backbone's
 * exist only while it is chosen. The plain conv net with normalised, unaugmented input comes first:
 * it trains fastest, and augmentation only pays off over many epochs.
 */
export const image: BlockDef = {
  type: 'image',
  doc: 'An image backbone chosen by search (conv, resnet or xception), after optional normalisation and augmentation.',
  arity: 'one',
  params: {
    block_type: Hp.enum(['conv', 'resnet', 'xception'], { default: choice('conv', 'resnet', 'xception'), doc: 'the backbone' }),
    normalize: Hp.bool({ default: choice(true, false), doc: 'standardise each channel with the training data\'s mean and variance' }),
    augment: Hp.bool({ default: choice(false, true), doc: 'random flips and shifts of training images' }),
  },
  resolve(hp: HpScope, written: Record<string, unknown>): Params {
    const own = resolveParams(image.params, hp, written);
    const type = own.block_type as string;
    const resolved: Params = { ...own, [type]: resolveBlock(BACKBONES[type], hp.scope(type), {}) };
    if (own.augment) resolved.image_augmentation = resolveBlock(imageAugmentation, hp.scope('image_augmentation'), {});
    return resolved;
  },
  build(ctx: BuildContext, [input]: Sym[], p: Params): Sym {
    requireRank(ctx, 'image', input, [3], 'images [h, w, c]');
    let x = input;
    // Normalise first, as AutoKeras does: the statistics describe the raw input.
    if (p.normalize) x = normalization.build(ctx.child('normalization'), [x], {});
    if (p.augment) x = imageAugmentation.build(ctx.child('image_augmentation'), [x], p.image_augmentation);
    return BACKBONES[p.block_type].build(ctx.child(p.block_type), [x], p[p.block_type]);
  },
};
