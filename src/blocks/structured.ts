import { BlockDef, BuildContext, Params, Sym, resolveBlock, resolveParams } from './block';
import { dense } from './dense';
import { requireRank } from './layers';
import { normalization } from './normalization';
import { Hp, fixed } from '../spec/space';
import type { HpScope } from '../search/hp';

/**
 * AutoKeras's StructuredDataBlock: optional normalisation, then a dense block (scoped
 * `<block>/dense/...`). Preprocessing already standardises numeric columns and one-hot encodes
 * categorical ones, so normalisation is off and not searched unless a spec asks for it.
 */
export const structured: BlockDef = {
  type: 'structured',
  doc: 'A table row (numeric and one-hot columns): optional normalisation, then dense layers.',
  arity: 'one',
  params: {
    normalize: Hp.bool({ default: fixed(false), doc: 'standardise columns again (preprocessing already does)' }),
  },
  resolve(hp: HpScope, written: Record<string, unknown>): Params {
    return { ...resolveParams(structured.params, hp, written), dense: resolveBlock(dense, hp.scope('dense'), {}) };
  },
  build(ctx: BuildContext, [input]: Sym[], p: Params): Sym {
    requireRank(ctx, 'structured', input, [1], 'a table row [columns]');
    const x = p.normalize ? normalization.build(ctx.child('normalization'), [input], {}) : input;
    return dense.build(ctx.child('dense'), [x], p.dense);
  },
};
