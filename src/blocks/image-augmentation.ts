import { BlockDef, BuildContext, Params, Sym } from './block';
import { RandomAugmentation } from './augmentation-layer';
import { BlockGraphError } from './errors';
import { applyLayer, requireRank } from './layers';
import { Hp, choice } from '../spec/space';

/**
 * AutoKeras's ImageAugmentation: random flips, shifts, rotations, zooms and contrast changes of
 * training images. It is training-only: identity at inference, and absent from exported graphs
 * (ctx.forExport), which therefore load in plain tfjs.
 */
export const imageAugmentation: BlockDef = {
  type: 'image_augmentation',
  doc: 'Random flips, shifts, rotations, zooms and contrast of training images [h, w, c]; identity at inference, left out of exports.',
  arity: 'one',
  params: {
    horizontal_flip: Hp.bool({ default: choice(true, false), doc: 'flip left-right with probability 1/2' }),
    vertical_flip: Hp.bool({ default: choice(false, true), doc: 'flip upside-down with probability 1/2' }),
    translation_factor: Hp.float({ min: 0, max: 0.5, default: choice(0.1, 0), doc: 'shift by up to this fraction of height and width' }),
    rotation_factor: Hp.float({ min: 0, max: 0.5, default: choice(0, 0.1), doc: 'rotate by up to this fraction of a full turn' }),
    zoom_factor: Hp.float({ min: 0, max: 0.5, default: choice(0, 0.1), doc: 'zoom in or out by up to this fraction' }),
    contrast_factor: Hp.float({ min: 0, max: 1, default: choice(0, 0.1), doc: 'scale contrast by a factor within 1 +- this' }),
  },
  build(ctx: BuildContext, [input]: Sym[], p: Params): Sym {
    if (ctx.forExport) return input;
    requireRank(ctx, 'image_augmentation', input, [3], 'images [h, w, c]');
    requireNoTrainableUpstream(ctx, input);
    const layer = new RandomAugmentation({
      name: ctx.layerName('augment'),
      horizontalFlip: p.horizontal_flip,
      verticalFlip: p.vertical_flip,
      translationFactor: p.translation_factor,
      rotationFactor: p.rotation_factor,
      zoomFactor: p.zoom_factor,
      contrastFactor: p.contrast_factor,
    });
    return applyLayer(layer, input);
  },
};

/** tf.image.transform has no gradient, so training would fail later with a kernel-level message. */
function requireNoTrainableUpstream(ctx: BuildContext, input: Sym): void {
  const trainable = firstTrainableUpstream(input, new Set());
  if (trainable === undefined) return;
  throw new BlockGraphError(ctx.name, `image_augmentation "${ctx.name}" must come before any trainable layer (its transforms have no gradient), but reads from layer "${trainable}"; move it right after the image input`);
}

function firstTrainableUpstream(x: Sym, seen: Set<Sym>): string | undefined {
  if (seen.has(x)) return undefined;
  seen.add(x);
  if (x.sourceLayer.trainableWeights.length > 0) return x.sourceLayer.name;
  for (const from of x.inputs ?? []) {
    const found = firstTrainableUpstream(from, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}
