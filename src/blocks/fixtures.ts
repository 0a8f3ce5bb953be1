/**
 * Test fixtures for blocks: a typical input for every registered block with the shape its default
 * configuration produces, and variants that reach the other code paths. Kept beside the registry
 * so a new block without a fixture fails the registry test.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BuildContext, makeContext, resolveBlock, Params } from './block';
import { BLOCKS } from './registry';
import { HyperParameters } from '../search/hp';
import { defaultValue } from '../spec/space';
import { ROOT } from '../data/testing';

export interface FixtureInput {
  shape: number[];
  dtype?: 'float32' | 'int32';
}

export interface BlockCase {
  type: string;
  inputs: FixtureInput[];
  /** What a spec wrote for the block; left out parameters take their default space's first value. */
  written?: Record<string, unknown>;
  /** Expected per-example output shape. */
  output: number[];
  stats?: BuildContext['stats'];
  vocabSize?: number;
}

const IMAGE = { shape: [16, 16, 3] };
const TOKENS = { shape: [12], dtype: 'int32' as const };
const SEQUENCE = { shape: [6, 8] };
const VECTOR = { shape: [10] };
const TINY_BACKBONE = 'fixtures/backbones/tiny/model.json';
const RGB_STATS = { mean: [0.5, 0.4, 0.3], variance: [0.09, 0.04, 0.01] };

/** One case per registered block, in its default configuration. */
export const DEFAULT_CASES: Record<string, BlockCase> = {
  image: { type: 'image', inputs: [IMAGE], stats: RGB_STATS, output: [6, 6, 32] },
  text: { type: 'text', inputs: [TOKENS], vocabSize: 50, output: [32] },
  structured: { type: 'structured', inputs: [VECTOR], output: [64] },
  conv: { type: 'conv', inputs: [IMAGE], output: [6, 6, 32] },
  resnet: { type: 'resnet', inputs: [IMAGE], output: [2, 2, 64] },
  xception: { type: 'xception', inputs: [IMAGE], output: [2, 2, 32] },
  dense: { type: 'dense', inputs: [VECTOR], output: [64] },
  rnn: { type: 'rnn', inputs: [SEQUENCE], output: [8] },
  embedding: { type: 'embedding', inputs: [TOKENS], vocabSize: 50, output: [12, 32] },
  normalization: { type: 'normalization', inputs: [IMAGE], stats: RGB_STATS, output: [16, 16, 3] },
  image_augmentation: { type: 'image_augmentation', inputs: [IMAGE], output: [16, 16, 3] },
  // The default encoding (one_hot) is the identity, which adds no layer to test.
  categorical_to_numerical: { type: 'categorical_to_numerical', inputs: [VECTOR], written: { encoding: 'embedding' }, output: [8] },
  spatial_reduction: { type: 'spatial_reduction', inputs: [{ shape: [4, 4, 8] }], output: [8] },
  temporal_reduction: { type: 'temporal_reduction', inputs: [SEQUENCE], output: [8] },
  merge: { type: 'merge', inputs: [{ shape: [4, 4, 8] }, { shape: [5] }], output: [13] },
  // The shipped backbone (fixtures/generate-backbone.js), cut before its classifier: pooled features.
  pretrained: { type: 'pretrained', inputs: [IMAGE], written: { model: TINY_BACKBONE }, output: [16] },
};

/** The other paths: 1-D and separable convolutions, tiny inputs, other versions and block types. */
export const VARIANT_CASES: Record<string, BlockCase> = {
  'conv 1-D separable': { type: 'conv', inputs: [SEQUENCE], written: { separable: true, num_blocks: 1 }, output: [2, 32] },
  'conv 2-D separable, two layers': { type: 'conv', inputs: [IMAGE], written: { separable: true, num_layers: 2, num_blocks: 1 }, output: [6, 6, 32] },
  'conv never pools below 1': { type: 'conv', inputs: [{ shape: [3, 3, 4] }], written: { num_blocks: 3 }, output: [1, 1, 32] },
  'resnet v1, two stages of two blocks': { type: 'resnet', inputs: [IMAGE], written: { version: 'v1', num_stages: 2, blocks_per_stage: 2 }, output: [4, 4, 32] },
  'xception on a tiny image': { type: 'xception', inputs: [{ shape: [3, 3, 4] }], written: { num_blocks: 3 }, output: [1, 1, 64] },
  'rnn gru, two layers, both ways': { type: 'rnn', inputs: [SEQUENCE], written: { layer_type: 'gru', bidirectional: true, num_layers: 2 }, output: [16] },
  'image resnet with augmentation': { type: 'image', inputs: [IMAGE], stats: RGB_STATS, written: { block_type: 'resnet', augment: true }, output: [2, 2, 64] },
  'image xception, not normalised': { type: 'image', inputs: [IMAGE], written: { block_type: 'xception', normalize: false }, output: [2, 2, 32] },
  'text rnn': { type: 'text', inputs: [TOKENS], vocabSize: 50, written: { block_type: 'rnn' }, output: [32] },
  'structured normalised': { type: 'structured', inputs: [VECTOR], written: { normalize: true }, stats: { mean: Array(10).fill(0.5), variance: Array(10).fill(0.1) }, output: [64] },
  'merge add of equal vectors': { type: 'merge', inputs: [{ shape: [8] }, { shape: [8] }], written: { mode: 'add' }, output: [8] },
  'merge add of a map and a vector': { type: 'merge', inputs: [{ shape: [4, 4, 8] }, { shape: [8] }], written: { mode: 'add' }, output: [8] },
  'merge concatenate of equal maps': { type: 'merge', inputs: [{ shape: [4, 4, 8] }, { shape: [4, 4, 2] }], output: [4, 4, 10] },
  'spatial flatten': { type: 'spatial_reduction', inputs: [{ shape: [4, 4, 8] }], written: { reduction_type: 'flatten' }, output: [128] },
  'temporal global max': { type: 'temporal_reduction', inputs: [SEQUENCE], written: { reduction_type: 'global_max' }, output: [8] },
  'pretrained cut at a convolution, resized, scaled to [-1, 1]': { type: 'pretrained', inputs: [{ shape: [20, 12, 3] }], written: { model: TINY_BACKBONE, output_layer: 'conv2', preprocess: { scale: [-1, 1] } }, output: [4, 4, 16] },
  'pretrained with mean/std, top layers trainable': { type: 'pretrained', inputs: [IMAGE], written: { model: TINY_BACKBONE, preprocess: { mean: [0.5, 0.4, 0.3], std: [0.2, 0.2, 0.2] }, fine_tune_layers: 2 }, output: [16] },
};

/** A picker that answers every parameter with its space's default (the first value of a choice). */
export const defaultPicker = () => new HyperParameters((_name, def) => defaultValue(def));

export interface BuiltCase {
  model: tfl.LayersModel;
  params: Params;
  inputs: tfl.SymbolicTensor[];
}

export function buildCase(c: BlockCase, forExport = false): BuiltCase {
  const def = BLOCKS[c.type];
  const params = resolveBlock(def, defaultPicker().scope(c.type), c.written ?? {});
  const inputs = c.inputs.map((i, k) => tfl.input({ shape: i.shape, dtype: i.dtype ?? 'float32', name: `input_${k}` }));
  const ctx = makeContext(c.type, forExport, c.stats, new Map(), c.vocabSize, ROOT);
  const output = def.build(ctx, inputs, params);
  return { model: tfl.model({ inputs, outputs: output }), params, inputs };
}

export const caseBatch = (c: BlockCase, batch: number): tf.Tensor[] =>
  c.inputs.map((i, k) => exampleInput(batch, i, c.vocabSize, k));

function exampleInput(batch: number, i: FixtureInput, vocabSize = 10, salt = 0): tf.Tensor {
  const size = batch * i.shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: size }, (_, n) => (((n + salt * 31) * 7919) % 1000) / 1000);
  if (i.dtype === 'int32') return tf.tensor(values.map((v) => Math.floor(v * vocabSize)), [batch, ...i.shape], 'int32');
  return tf.tensor(values, [batch, ...i.shape], 'float32');
}
