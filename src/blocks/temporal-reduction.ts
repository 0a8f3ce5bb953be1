import { BlockDef, BuildContext, Params, Sym } from './block';
import { Reduction, reduceTo1d } from './reduce';
import { Hp, choice } from '../spec/space';

/**
 * AutoKeras's TemporalReduction: a sequence [t, c] to a vector (global average first, as its
 * default). Image-like features are reduced the same way and vectors pass through.
 */
export const temporalReduction: BlockDef = {
  type: 'temporal_reduction',
  doc: 'A sequence [t, c] to a vector by flattening or global average/max pooling over time.',
  arity: 'one',
  params: {
    reduction_type: Hp.enum(['flatten', 'global_avg', 'global_max'], { default: choice('global_avg', 'global_max', 'flatten'), doc: 'how time steps are combined' }),
  },
  build: (ctx: BuildContext, [input]: Sym[], p: Params): Sym => reduceTo1d(ctx, input, p.reduction_type as Reduction),
};
