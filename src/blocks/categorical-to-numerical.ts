import * as tfl from '@tensorflow/tfjs-layers';
import { BlockDef, BuildContext, Params, Sym } from './block';
import { applyLayer, requireRank } from './layers';
import { resolveSubset } from './resolve-subset';
import { Hp, choice } from '../spec/space';
import type { HpScope } from '../search/hp';

/**
 * AutoKeras's CategoricalToNumerical. Preprocessing already one-hot encodes categorical columns
 * into the float vector a structured input delivers, so `one_hot` passes it through unchanged.
 * `embedding` multiplies the whole vector by a learned matrix without bias, to `embedding_dim`
 * values: on one-hot columns that is exactly an embedding lookup (the sum of one learned row per
 * column's active category), and numeric columns get a learned linear mix. It replaces the vector
 * rather than joining it, since a following dense layer could undo any concatenation for free.
 */
export const categoricalToNumerical: BlockDef = {
  type: 'categorical_to_numerical',
  doc: 'Encoding of a structured input\'s one-hot columns: one_hot keeps them; embedding projects the vector to embedding_dim.',
  arity: 'one',
  params: {
    encoding: Hp.enum(['one_hot', 'embedding'], { default: choice('one_hot', 'embedding'), doc: 'one_hot: unchanged; embedding: a learned linear projection' }),
    embedding_dim: Hp.int({ min: 1, default: choice(8, 16, 32), doc: 'size of the projection (encoding: embedding only)' }),
  },
  /** embedding_dim exists only when the encoding uses it, so the oracle does not search it in vain. */
  resolve(hp: HpScope, written: Record<string, unknown>): Params {
    const { encoding } = resolveSubset(categoricalToNumerical, ['encoding'], hp, written);
    if (encoding !== 'embedding') return { encoding };
    return { encoding, ...resolveSubset(categoricalToNumerical, ['embedding_dim'], hp, written) };
  },
  build(ctx: BuildContext, [input]: Sym[], p: Params): Sym {
    requireRank(ctx, 'categorical_to_numerical', input, [1], 'a structured input\'s vector [columns]');
    if (p.encoding !== 'embedding') return input;
    return applyLayer(tfl.layers.dense({ units: p.embedding_dim, useBias: false, name: ctx.layerName('embed') }), input);
  },
};
