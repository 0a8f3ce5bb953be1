import { BlockDef, BuildContext, Params, Sym } from './block';
import { Reduction, reduceTo1d } from './reduce';
import { Hp, choice } from '../spec/space';

/**
 * AutoKeras's SpatialReduction: image-like features [h, w, c] to a vector. Global average first:
 * flattening a 32x32 feature map makes the next dense layer hundreds of times larger.
 * Sequences are reduced the same way and vectors pass through, so the block never fails on rank.
 */
export const spatialReduction: BlockDef = {
  type: 'spatial_reduction',
  doc: 'Image-like features [h, w, c] to a vector by flattening or global average/max pooling.',
  arity: 'one',
  params: {
    reduction_type: Hp.enum(['flatten', 'global_avg', 'global_max'], { default: choice('global_avg', 'global_max', 'flatten'), doc: 'how positions are combined' }),
  },
  build: (ctx: BuildContext, [input]: Sym[], p: Params): Sym => reduceTo1d(ctx, input, p.reduction_type as Reduction),
};
