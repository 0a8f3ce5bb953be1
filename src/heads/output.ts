/** What every head does before its output layer, and the parameter that controls it. */
import * as tfl from '@tensorflow/tfjs-layers';
import type { BuildContext, Sym } from '../blocks/block';
import { applyLayer } from '../blocks/layers';
import { Reduction, reduceTo1d } from '../blocks/reduce';
import type { Params } from '../blocks/block';
import type { ParamDef } from '../spec/space';
import { Hp, choice } from '../spec/space';
import { dropoutLayer } from '../blocks/dropout';

/**
 * AutoKeras's heads: a spatial reduction of feature maps and sequences, then dropout, then the
 * output layer. Flatten first, as AutoKeras's SpatialReduction default and its image classifier's
 * first trial: on 28x28 digits (bench:quality mnist, 1,600 training PNGs, 4 epochs) the default
 * conv block reached 91% held-out accuracy through flatten and 25% through global average pooling
 * (the previous default first trial, 16 filters then pooling, 29%). Vectors (tables, text after
 * its own pooling) pass through unchanged.
 */
export const HEAD_PARAMS: Record<string, ParamDef> = {
  dropout: Hp.float({ min: 0, max: 0.95, default: choice(0, 0.25, 0.5), doc: 'dropout rate before the output layer' }),
  reduction: Hp.enum(['flatten', 'global_avg', 'global_max'], { default: choice('flatten', 'global_avg', 'global_max'), doc: 'how image or sequence features become a vector' }),
};

export function outputFeatures(ctx: BuildContext, input: Sym, p: Params): Sym {
  const x = reduceTo1d(ctx, input, (p.reduction as Reduction | undefined) ?? 'flatten');
  const dropout = (p.dropout as number | undefined) ?? 0;
  return dropout > 0 ? applyLayer(dropoutLayer({ rate: dropout, name: ctx.layerName('dropout') }), x) : x;
}

/** The output layer, named exactly as the head so model outputs keep the spec's names. */
export const outputLayer = (ctx: BuildContext, x: Sym, units: number, activation: 'sigmoid' | 'softmax' | 'linear'): Sym =>
  applyLayer(tfl.layers.dense({ units, activation, name: ctx.name }), x);
