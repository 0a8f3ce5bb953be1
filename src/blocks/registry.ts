/**
 * Every block a spec can name, in one explicit table (no registration by import): the spec schema,
 * the docs and the graph builder all read it. Modality blocks first, then the building blocks they
 * choose among, then the wiring blocks.
 */
import type { BlockDef } from './block';
import { registerAugmentationLayer } from './augmentation-layer';
import { categoricalToNumerical } from './categorical-to-numerical';
import { conv } from './conv';
import { dense } from './dense';
import { embedding } from './embedding';
import { image } from './image';
import { imageAugmentation } from './image-augmentation';
import { merge } from './merge';
import { normalization } from './normalization';
import { pretrained } from './pretrained';
import { resnet } from './resnet';
import { rnn } from './rnn';
import { spatialReduction } from './spatial-reduction';
import { structured } from './structured';
import { temporalReduction } from './temporal-reduction';
import { text } from './text';
import { xception } from './xception';

export const BLOCKS: Record<string, BlockDef> = {
  image,
  text,
  structured,
  conv,
  resnet,
  xception,
  dense,
  rnn,
  embedding,
  normalization,
  image_augmentation: imageAugmentation,
  categorical_to_numerical: categoricalToNumerical,
  spatial_reduction: spatialReduction,
  temporal_reduction: temporalReduction,
  merge,
  pretrained,
};

/**
 * Registers the layer classes of training graphs that tfjs does not know (the augmentation layer),
 * so a saved training graph can be loaded back. Exported graphs contain none. Idempotent.
 */
export function registerCustomLayers(): void {
  registerAugmentationLayer();
}
