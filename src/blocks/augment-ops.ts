/**
 * Random image transforms as tfjs-core ops that both the cpu and the wasm backends implement
 * (Transform, Mean, Mul, Add): one projective transform per image does flips, translation,
 * rotation and zoom in a single pass; contrast scales each image around its channel means.
 * No gradient is defined through Transform: augmentation must sit before any trainable layer.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface AugmentFactors {
  horizontalFlip: boolean;
  verticalFlip: boolean;
  /** Shift by up to this fraction of the height and width, each way. */
  translationFactor: number;
  /** Rotate by up to this fraction of a full turn, each way (Keras's RandomRotation). */
  rotationFactor: number;
  /** Scale the sampled region by a factor in [1 - f, 1 + f] (above 1 zooms out). */
  zoomFactor: number;
  /** Scale deviations from each channel's mean by a factor in [1 - f, 1 + f]. */
  contrastFactor: number;
}

/**
 * Random draws come from Math.random, which a trial seeds (src/util/rng.ts), so augmented
 * batches are reproducible with the trial's seed like the rest of tfjs's randomness.
 */
const symmetric = (f: number): number => (f > 0 ? (2 * Math.random() - 1) * f : 0);

/**
 * The 8 numbers tf.image.transform reads for one image: they map an output pixel (x, y) to the
 * input point it samples, here centre + zoom * rotation * flip * ((x, y) - centre) + shift.
 */
export function randomTransform(height: number, width: number, f: AugmentFactors): number[] {
  const fx = f.horizontalFlip && Math.random() < 0.5 ? -1 : 1;
  const fy = f.verticalFlip && Math.random() < 0.5 ? -1 : 1;
  const angle = symmetric(f.rotationFactor) * 2 * Math.PI;
  const scale = 1 + symmetric(f.zoomFactor);
  const tx = symmetric(f.translationFactor) * width;
  const ty = symmetric(f.translationFactor) * height;
  const [cx, cy] = [(width - 1) / 2, (height - 1) / 2];
  const a0 = scale * Math.cos(angle) * fx;
  const a1 = -scale * Math.sin(angle) * fy;
  const b0 = scale * Math.sin(angle) * fx;
  const b1 = scale * Math.cos(angle) * fy;
  return [a0, a1, cx + tx - a0 * cx - a1 * cy, b0, b1, cy + ty - b0 * cx - b1 * cy, 0, 0];
}

const movesPixels = (f: AugmentFactors): boolean =>
  f.horizontalFlip || f.verticalFlip || f.translationFactor > 0 || f.rotationFactor > 0 || f.zoomFactor > 0;

/**
 * One Transform call per image: the cpu backend's kernel (tfjs 4.22) returns after the first
 * image of a batch, leaving the others filled with zeros. Bilinear sampling; points outside the
 * image take the nearest edge pixel, not Keras's default reflection: the cpu and wasm kernels
 * reflect sub-pixel coordinates differently, and augmented training must not depend on the backend.
 */
function transformEach(images: tf.Tensor4D, matrices: number[][]): tf.Tensor4D {
  const one = (image: tf.Tensor3D, i: number) => tf.image.transform(tf.expandDims(image, 0) as tf.Tensor4D, tf.tensor2d([matrices[i]]), 'bilinear', 'nearest');
  return tf.concat(tf.unstack(images).map((image, i) => one(image as tf.Tensor3D, i))) as tf.Tensor4D;
}

/** A randomly transformed copy of a batch of images [n, h, w, c]. */
export function augmentBatch(images: tf.Tensor4D, f: AugmentFactors): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w] = images.shape;
    let x: tf.Tensor4D = images;
    if (movesPixels(f)) x = transformEach(x, Array.from({ length: n }, () => randomTransform(h, w, f)));
    if (f.contrastFactor > 0) {
      const mean = tf.mean(x, [1, 2], true);
      const factor = tf.tensor4d(Array.from({ length: n }, () => 1 + symmetric(f.contrastFactor)), [n, 1, 1, 1]);
      x = tf.add(tf.mul(tf.sub(x, mean), factor), mean);
    }
    return x === images ? tf.clone(x) : x;
  });
}
