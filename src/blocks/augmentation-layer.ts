/**
 * The training-time augmentation layer: random transforms when called with training = true,
 * identity otherwise. It exists only in training graphs (the image_augmentation block adds nothing
 * when building for export), so exported models never need this class to load.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { AugmentFactors, augmentBatch } from './augment-ops';

export type RandomAugmentationArgs = LayerArgs & AugmentFactors;

export class RandomAugmentation extends tfl.layers.Layer {
  /** The name saved in model topologies; registerCustomLayers() maps it back to this class. */
  static readonly className = 'AutommRandomAugmentation';
  private readonly factors: AugmentFactors;

  constructor(args: RandomAugmentationArgs) {
    super(args);
    const { horizontalFlip, verticalFlip, translationFactor, rotationFactor, zoomFactor, contrastFactor } = args;
    this.factors = { horizontalFlip, verticalFlip, translationFactor, rotationFactor, zoomFactor, contrastFactor };
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const images = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    // A copy, not the input itself, when not training: the executor frees each layer's inputs
    // once consumed, and an output aliasing its input would be freed with it.
    return kwargs?.training === true ? augmentBatch(images, this.factors) : tf.clone(images);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.factors };
  }
}

/**
 * Makes saved training graphs that contain the augmentation layer loadable. Called explicitly by
 * code that loads such graphs (see registry.ts), never on import. Registering again is harmless.
 */
export function registerAugmentationLayer(): void {
  tf.serialization.registerClass(RandomAugmentation);
}
