import * as tfl from '@tensorflow/tfjs-layers';
import { BlockDef, BuildContext, Params, Sym } from './block';
import { BlockGraphError } from './errors';
import { applyLayer, requireRank } from './layers';
import { Hp, choice } from '../spec/space';
import { dropoutLayer } from './dropout';

/**
 * AutoKeras's Embedding block: token ids [t] (int32, 0 = padding, 1 = out-of-vocabulary) to
 * vectors [t, embedding_dim], then dropout. The table has one row per id the text input can hold,
 * so its size comes from the data (ctx.vocabSize), not from a parameter.
 */
export const embedding: BlockDef = {
  type: 'embedding',
  doc: 'Token ids [t] of a text input to learned vectors [t, embedding_dim].',
  arity: 'one',
  params: {
    // AutoKeras defaults to 128; 32 trains several times faster on a CPU and is the usual
    // size for vocabularies of a few thousand words.
    embedding_dim: Hp.int({ min: 1, default: choice(32, 64, 128, 256), doc: 'size of each token vector' }),
    dropout: Hp.float({ min: 0, max: 0.95, default: choice(0.25, 0), doc: 'dropout rate on the vectors' }),
  },
  build(ctx: BuildContext, [input]: Sym[], p: Params): Sym {
    requireRank(ctx, 'embedding', input, [1], 'token ids [t] from a text input');
    if (ctx.vocabSize === undefined) {
      throw new BlockGraphError(ctx.name, `embedding "${ctx.name}" needs the vocabulary size of the text input whose token ids it reads; none is known here (does it read a text input?)`);
    }
    let x = applyLayer(tfl.layers.embedding({ inputDim: ctx.vocabSize, outputDim: p.embedding_dim, name: ctx.layerName('embedding') }), input);
    if (p.dropout > 0) x = applyLayer(dropoutLayer({ rate: p.dropout, name: ctx.layerName('dropout') }), x);
    return x;
  },
};
