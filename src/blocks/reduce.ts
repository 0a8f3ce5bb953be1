import * as tfl from '@tensorflow/tfjs-layers';
import { BuildContext, Sym, featureRank } from './block';

export type Reduction = 'flatten' | 'global_avg' | 'global_max';

/** Image-like [h, w, c] or sequence [t, c] features to a vector, the way AutoKeras's reductions do. */
export function reduceTo1d(ctx: BuildContext, x: Sym, how: Reduction): Sym {
  const rank = featureRank(x);
  if (rank <= 1) return x;
  if (how === 'flatten') return tfl.layers.flatten({ name: ctx.layerName('flatten') }).apply(x) as Sym;
  const layer =
    rank === 3
      ? how === 'global_avg' ? tfl.layers.globalAveragePooling2d({ name: ctx.layerName('gap') }) : tfl.layers.globalMaxPooling2d({ name: ctx.layerName('gmp') })
      : how === 'global_avg' ? tfl.layers.globalAveragePooling1d({ name: ctx.layerName('gap') }) : tfl.layers.globalMaxPooling1d({ name: ctx.layerName('gmp') });
  return layer.apply(x) as Sym;
}

