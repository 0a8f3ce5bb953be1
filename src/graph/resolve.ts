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
  for (const h of plan.heads) heads[h.name] = resolveParams(HEADS[h.spec.type].params, hp.scope(h.name), paramsOf(h.spec));
  const { optimizer, learning_rate: learningRate } = resolveParams(OPTIMIZER_PARAMS, hp, { optimizer: spec.search.optimizer, learning_rate: spec.search.learning_rate }) as { optimizer: OptimizerName; learning_rate: number };
  const lossWeights = Object.fromEntries(plan.heads.map((h) => [h.name, hp.get(`loss_weights/${h.name}`, toHpDef(spec.loss_weights[h.name] ?? 1)) as number]));
  return { values: hp.values, space: hp.space, blocks, heads, optimizer, learningRate, lossWeights };
}
