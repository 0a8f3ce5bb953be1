import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BlockDef, BuildContext, Sym } from './block';
import { GraphShapeError, showShape } from './errors';
import { applyLayer, exampleShape } from './layers';

/**
 * Keras's Normalization layer, (x - mean) / sqrt(variance), per channel of an image or per column of
 * a table, with the mean and variance of the training data (ctx.stats).
 *
 * tfjs-layers has no Normalization layer, and a custom one would make every exported model need
 * our code to load. A frozen BatchNormalization layer (gamma 1, beta 0) computes exactly
 * (x - moving_mean) / sqrt(moving_variance + epsilon) in inference mode, so we use one whose moving
 * statistics are the data's, and pin it to inference mode while we train: in training mode it
 * would normalise by each batch's own statistics and drift its moving ones (and tfjs-layers 4.22
 * fails there anyway without gamma/beta). The statistics are non-trainable weights, so they are saved
 * with the model, copied by name into the export graph, and a plain tfjs load computes the same thing.
 *
 * Without statistics (a graph rebuilt only to receive saved weights) the layer starts as identity.
 */
export const normalization: BlockDef = {
  type: 'normalization',
  doc: 'Standardises each channel (images) or column (tables) with the training data\'s mean and variance.',
  arity: 'one',
  params: {},
  build(ctx: BuildContext, [input]: Sym[]): Sym {
    // gamma = 1 and beta = 0, frozen: without them tfjs's batchNorm gradient saves undefined tensors and throws.
    const layer = tfl.layers.batchNormalization({ axis: -1, center: true, scale: true, trainable: false, epsilon: EPSILON, name: ctx.layerName('normalize') });
    pinInference(layer);
    const output = applyLayer(layer, input);
    if (ctx.stats) setStatistics(ctx, layer, input, ctx.stats);
    return output;
  },
};

/** Small against any real variance, so the result is the standard score to float precision. */
const EPSILON = 1e-6;

/** The layer behaves at training time as it will after export (a fixed affine map here; pretrained layers too). */
export function pinInference(layer: tfl.layers.Layer): void {
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: false });
}

/**
 * BatchNormalization's initialisers (tfjs `constant`) take one scalar for every channel, so
 * per-channel statistics are written into the built weights instead; a constant column
 * (variance 0) is only centred, as dividing by sqrt(epsilon) would blow up any other value.
 */
function setStatistics(ctx: BuildContext, layer: tfl.layers.Layer, input: Sym, stats: NonNullable<BuildContext['stats']>): void {
  const channels = exampleShape(input).at(-1);
  if (stats.mean.length !== channels || stats.variance.length !== channels) {
    throw new GraphShapeError(ctx.name, `normalization "${ctx.name}" has statistics for ${stats.mean.length} channels, but its input ${showShape(exampleShape(input))} has ${channels}`);
  }
  const variance = stats.variance.map((v) => (v > 0 ? v : 1));
  tf.tidy(() => layer.setWeights([tf.ones([channels!]), tf.zeros([channels!]), tf.tensor1d(stats.mean), tf.tensor1d(variance)]));
}
