import { BlockDef, BuildContext, Params, Sym, resolveBlock, resolveParams } from './block';
import { conv } from './conv';
import { embedding } from './embedding';
import { requireRank } from './layers';
import { reduceTo1d } from './reduce';
import { rnn } from './rnn';
import { Hp, choice } from '../spec/space';
import type { HpScope } from '../search/hp';

/** What follows the embedding for each block type; its parameters are scoped by its name. */
const ENCODERS: Record<string, BlockDef> = { vanilla: conv, rnn };

/**
 * AutoKeras's TextBlock on token ids [t]: an embedding, then either `vanilla` (1-D convolutions and
 * global max pooling, fast) or `rnn` (stacked LSTM/GRU). Scopes: `<block>/block_type`,
 * `<block>/embedding/...`, then `<block>/conv/...` or `<block>/rnn/...`; the embedding's are shared
 * by both types, as AutoKeras shares them.
 */
export const text: BlockDef = {
  type: 'text',
  doc: 'Text as token ids: an embedding, then convolutions with global max pooling (vanilla) or recurrent layers (rnn).',
  arity: 'one',
  params: {
    block_type: Hp.enum(['vanilla', 'rnn'], { default: choice('vanilla', 'rnn'), doc: 'vanilla: embedding, conv1d, global max pool; rnn: embedding, LSTM/GRU' }),
  },
  resolve(hp: HpScope, written: Record<string, unknown>): Params {
    const own = resolveParams(text.params, hp, written);
    const encoder = ENCODERS[own.block_type as string];
    return { ...own, embedding: resolveBlock(embedding, hp.scope('embedding'), {}), [encoder.type]: resolveBlock(encoder, hp.scope(encoder.type), {}) };
  },
  build(ctx: BuildContext, [input]: Sym[], p: Params): Sym {
    requireRank(ctx, 'text', input, [1], 'token ids [t] from a text input');
    const x = embedding.build(ctx.child('embedding'), [input], p.embedding);
    const encoder = ENCODERS[p.block_type];
    const encoded = encoder.build(ctx.child(encoder.type), [x], p[encoder.type]);
    // Max over time: a phrase detector fires wherever the phrase occurs (rnn already gives a vector).
    return reduceTo1d(ctx, encoded, 'global_max');
  },
};
