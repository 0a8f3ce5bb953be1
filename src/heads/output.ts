/** What every head does before its output layer, and the parameter that controls it. */
import * as tfl from '@tensorflow/tfjs-layers';
import type { BuildContext, Sym } from '../blocks/block';
import { applyLayer } from '../blocks/layers';
import { reduceTo1d } from '../blocks/reduce';
import { Hp, choice } from '../spec/space';

/** AutoKeras's heads: dropout before the output layer, none by default. */
export const DROPOUT = Hp.float({ min: 0, max: 0.95, default: choice(0, 0.25, 0.5), doc: 'dropout rate before the output layer' });

/**
 * Feature maps and sequences are averaged to a vector first (global average pooling: position-free
 * and small, where flattening would give the output layer h*w times the weights).
 */
export function outputFeatures(ctx: BuildContext, input: Sym, dropout: number): Sym {
  const x = reduceTo1d(ctx, input, 'global_avg');
  return dropout > 0 ? applyLayer(tfl.layers.dropout({ rate: dropout, name: ctx.layerName('dropout') }), x) : x;
}

/** The output layer, named exactly as the head so model outputs keep the spec's names. */
export const outputLayer = (ctx: BuildContext, x: Sym, units: number, activation: 'sigmoid' | 'softmax' | 'linear'): Sym =>
  applyLayer(tfl.layers.dense({ units, activation, name: ctx.name }), x);
