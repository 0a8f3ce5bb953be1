/** One trial's parameter values: every block, every head, and the optimizer, resolved through an oracle's picker. */
import { BLOCKS } from '../blocks/registry';
import { resolveBlock, resolveParams, Params } from '../blocks/block';
import { HEADS } from '../heads/registry';
import { HyperParameters, Picker } from '../search/hp';
import { OPTIMIZER_PARAMS, OptimizerName } from '../search/optimizers';
import { toHpDef, HpDef, HpValue } from '../spec/space';
import type { Spec } from '../spec/types';
import type { Plan } from './plan';

export interface Resolution {
  values: Record<string, HpValue>;
  space: Record<string, HpDef>;
  blocks: Record<string, Params>;
  heads: Record<string, Params>;
  optimizer: OptimizerName;
  learningRate: number;
  /** Per head, fixed or drawn from the spec's space (hyperparameter `loss_weights/<head>`). */
  lossWeights: Record<string, number>;
}

/** Strips wiring keys so only parameters reach the block. */
const paramsOf = ({ type: _t, input: _i, inputs: _is, column: _c, ...rest }: Record<string, unknown>) => rest;

export function resolveTrial(spec: Spec, plan: Plan, picker: Picker): Resolution {
  const hp = new HyperParameters(picker);
  const blocks: Record<string, Params> = {};
  for (const b of plan.blocks) blocks[b.name] = resolveBlock(BLOCKS[b.spec.type], hp.scope(b.name), paramsOf(b.spec));
  const heads: Record<string, Params> = {};
  for (const h of plan.heads) {
    const def = HEADS[h.spec.type];
    heads[h.name] = resolveParams({ params: def.params } as never, hp.scope(h.name), paramsOf(h.spec));
  }
  const optimizer = hp.get('optimizer', spec.search.optimizer !== undefined ? toHpDef(spec.search.optimizer) : OPTIMIZER_PARAMS.optimizer.default) as OptimizerName;
  const learningRate = hp.get('learning_rate', spec.search.learning_rate !== undefined ? toHpDef(spec.search.learning_rate) : OPTIMIZER_PARAMS.learning_rate.default) as number;
  const lossWeights = Object.fromEntries(plan.heads.map((h) => [h.name, hp.get(`loss_weights/${h.name}`, toHpDef(spec.loss_weights[h.name] ?? 1)) as number]));
  return { values: hp.values, space: hp.space, blocks, heads, optimizer, learningRate, lossWeights };
}
