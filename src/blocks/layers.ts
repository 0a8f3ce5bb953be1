/** Small typed helpers shared by blocks: apply a layer to symbolic tensors, read per-example shapes. */
import * as tfl from '@tensorflow/tfjs-layers';
import type { BuildContext, Sym } from './block';
import { featureRank } from './block';
import { GraphShapeError, showShape } from './errors';

/** Layer.apply is typed for eager and symbolic inputs alike; in a functional graph it is always symbolic. */
export const applyLayer = (layer: tfl.layers.Layer, x: Sym | Sym[]): Sym => layer.apply(x) as Sym;

/** The per-example shape (batch dimension dropped). */
export const exampleShape = (x: Sym): Array<number | null> => x.shape.slice(1);

/** Throws the block's shape error unless its input has one of the feature ranks it accepts. */
export function requireRank(ctx: BuildContext, type: string, x: Sym, ranks: number[], expected: string): void {
  if (ranks.includes(featureRank(x))) return;
  throw new GraphShapeError(ctx.name, `${type} "${ctx.name}" needs ${expected}, got ${showShape(exampleShape(x))}`);
}
