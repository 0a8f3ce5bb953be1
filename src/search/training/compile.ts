/** Each head's loss, weight and metrics, and a model compiled with them. */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Plan } from '../../graph/plan';
import type { HeadInfo, PreparedData } from '../../data/source';
import { HEADS } from '../../heads/registry';
import type { MetricDef } from '../../heads/head';
import { outputWidth } from '../../heads/data/registry';
import { headLossName } from '../../heads/log-names';
import { makeOptimizer } from '../optimizers';
import type { TrainJob } from './job';

export interface CompiledHead {
  name: string;
  info: HeadInfo;
  /** Output values per row. */
  width: number;
  weight: number;
  loss: MetricDef;
  metrics: MetricDef[];
}

/** Each head's loss, weight and metrics, as training and evaluation use them. */
export function headsOf(plan: Plan, data: Pick<PreparedData, 'heads'>, lossWeights: Record<string, number>): CompiledHead[] {
  return plan.heads.map((h) => {
    const def = HEADS[h.spec.type];
    const info = data.heads[h.name];
    return { name: h.name, info, width: outputWidth(info), weight: lossWeights[h.name], loss: def.loss(info, h.spec), metrics: def.metrics(info, h.spec) };
  });
}

/** Keras's loss_weights, which tfjs-layers lacks: each head's loss function carries its weight. */
export function compileModel(job: TrainJob, model: tfl.LayersModel): CompiledHead[] {
  const heads = headsOf(job.plan, job.data, job.resolution.lossWeights);
  model.compile({
    optimizer: makeOptimizer(job.resolution.optimizer, job.resolution.learningRate),
    loss: Object.fromEntries(heads.map((h) => [h.name, named(headLossName(h.name), (yt: tf.Tensor, yp: tf.Tensor) => tf.mul(h.loss.fn(yt, yp), h.weight))])) as never,
    metrics: Object.fromEntries(heads.map((h) => [h.name, h.metrics.map((m) => named(m.name, m.fn))])) as never,
  });
  return heads;
}

/** tfjs-layers logs a loss or metric under its function's name. */
const named = <F extends Function>(name: string, fn: F): F => Object.defineProperty(fn, 'name', { value: name });
