import * as path from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { Type } from '@sinclair/typebox';
import { BlockDef, BuildContext, Params, Sym, resolveParams } from './block';
import { GraphShapeError, showShape } from './errors';
import { applyLayer, exampleShape, requireRank } from './layers';
import { normalization } from './normalization';
import { Hp, fixed } from '../spec/space';
import type { HpScope } from '../search/hp';
import { BackboneError, BackboneTopology, readTopology, readWeights } from '../pretrained/model-file';
import { inlineBackbone } from '../pretrained/inline';
import { resizeBilinear } from '../pretrained/resize';

/** How pixels in [0, 1] (automm's image scale) are mapped to what the backbone was trained on. */
export type Preprocess = { scale: [number, number] } | { mean: number[]; std: number[] };

const preprocessSchema = Type.Union(
  [
    Type.Object({ scale: Type.Tuple([Type.Number(), Type.Number()]) }, { additionalProperties: false }),
    Type.Object({ mean: Type.Array(Type.Number(), { minItems: 1 }), std: Type.Array(Type.Number({ exclusiveMinimum: 0 }), { minItems: 1 }) }, { additionalProperties: false }),
  ],
  { expected: '{scale: [lo, hi]} or {mean: [...], std: [...]} (one per channel, on the [0, 1] pixel scale)' },
);

/**
 * Transfer learning from a TF.js layers model on disk (a Keras MobileNetV2 or InceptionV3 converted
 * with tensorflowjs_converter, or any model saved by tfjs): the image is preprocessed as the
 * backbone expects, resized to its input size, and run through its layers up to output_layer. The
 * layers are added to the graph itself, so the exported model needs no automm code to load.
 */
export const pretrained: BlockDef = {
  type: 'pretrained',
  doc: 'A backbone from a TF.js layers model on disk, cut at output_layer; frozen (its features computed once and cached), fine-tuned, or trained whole.',
  arity: 'one',
  settings: {
    model: { schema: Type.String({ minLength: 1, expected: 'a path to a TF.js layers model.json, relative to the spec' }), doc: 'the backbone: a TF.js layers model.json (weights beside it), relative to the spec', required: true },
    output_layer: { schema: Type.String({ minLength: 1, expected: 'the name of a layer of the model' }), doc: 'the layer whose output is the feature (default: the layer before the classifier)' },
    trainable: { schema: Type.Boolean({ expected: 'true or false' }), doc: 'train every backbone layer with the head from the start (default false: frozen)' },
    preprocess: { schema: preprocessSchema, doc: '`{scale: [-1, 1]}` maps pixels from [0, 1] to [-1, 1] (MobileNet, Inception); `{mean: [...], std: [...]}` standardises each channel of [0, 1] pixels (ImageNet torch style); default: pixels as they are' },
  },
  params: {
    fine_tune_layers: Hp.int({ min: 0, default: fixed(0), doc: 'after the head has trained on the frozen features, the top N weighted layers train too, at a tenth of the learning rate' }),
  },
  resolve(hp: HpScope, written: Record<string, unknown>): Params {
    const { model, output_layer, trainable, preprocess } = written;
    return { ...resolveParams(pretrained.params, hp, written), model, output_layer, trainable: trainable === true, preprocess };
  },
  build(ctx: BuildContext, [input]: Sym[], p: Params): Sym {
    requireRank(ctx, 'pretrained', input, [3], 'images [h, w, c]');
    const top = backboneOf(ctx, p);
    const output = (p.output_layer as string | undefined) ?? top.defaultOutput;
    const [h, w, c] = top.input.shape;
    if (exampleShape(input)[2] !== c) {
      throw new GraphShapeError(ctx.name, `pretrained "${ctx.name}": the backbone ${top.file} takes images with ${c} channel${c === 1 ? '' : 's'} ${showShape(top.input.shape)}, its input is ${showShape(exampleShape(input))}`);
    }
    let x = preprocess(ctx, input, p.preprocess as Preprocess | undefined);
    if (h !== null && w !== null && (exampleShape(x)[0] !== h || exampleShape(x)[1] !== w)) {
      x = resizeBilinear(ctx, x, h, w);
    }
    try {
      return inlineBackbone(top, readWeights(top.file), x, { prefix: ctx.name, outputLayer: output, trainableTop: p.trainable ? Infinity : p.fine_tune_layers });
    } catch (err) {
      throw asGraphError(ctx, err);
    }
  },
};

/** The backbone's topology, with a wrong path or a missing layer said as a graph error of this block. */
export function backboneOf(ctx: Pick<BuildContext, 'name' | 'dir'>, p: Params): BackboneTopology {
  try {
    const top = readTopology(path.resolve(ctx.dir ?? '.', p.model as string));
    if (p.output_layer !== undefined && !top.layers.some((l) => l.name === p.output_layer)) {
      throw new BackboneError('output_layer', `no layer "${p.output_layer}" in ${top.file}`);
    }
    return top;
  } catch (err) {
    throw asGraphError(ctx, err);
  }
}

const asGraphError = (ctx: Pick<BuildContext, 'name'>, err: unknown) =>
  err instanceof BackboneError ? new GraphShapeError(ctx.name, `pretrained "${ctx.name}": ${err.message}`) : err;

/** Rescaling for a range; a frozen normalisation (as the normalization block builds it) for mean/std. */
function preprocess(ctx: BuildContext, x: Sym, how: Preprocess | undefined): Sym {
  if (!how) return x;
  if ('scale' in how) {
    const [lo, hi] = how.scale;
    return applyLayer(tfl.layers.rescaling({ scale: hi - lo, offset: lo, name: ctx.layerName('rescale') }), x);
  }
  const stats = { mean: how.mean, variance: how.std.map((s) => s * s) };
  return normalization.build({ ...ctx.child('preprocess'), stats }, [x], {});
}
