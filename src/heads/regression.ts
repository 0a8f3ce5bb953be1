import * as tf from '@tensorflow/tfjs-core';
import { Type } from '@sinclair/typebox';
import type { BuildContext, Params, Sym } from '../blocks/block';
import type { HeadInfo } from '../data/source';
import type { HeadDef, LossOrMetricFn, MetricDef, HeadEntry } from './head';
import { huber, meanAbsoluteError, meanSquaredError } from './losses';
import { mae, mse, namedMetric, rmse } from './metrics';
import { HEAD_PARAMS, outputFeatures, outputLayer } from './output';
import { TARGET_SCALINGS, TargetScaling, forwardTensor, inverseTensor, rescaleLayers, standardisedName } from '../data/target-scaling';
import { REGRESSION_SCORES } from './head-scores';
import { regressionData } from './data/regression';

const LOSSES: Record<string, LossOrMetricFn> = { mse: meanSquaredError, mae: meanAbsoluteError, huber };
const METRICS: Record<string, LossOrMetricFn> = { mae, mse, rmse };

const literals = (values: readonly string[]) => values.map((v) => Type.Literal(v));

const SETTINGS = {
  units: Type.Integer({ minimum: 1, expected: 'an integer >= 1 (numbers predicted; 1 when left out)' }),
  loss: Type.Union(literals(Object.keys(LOSSES)), { expected: `one of ${Object.keys(LOSSES).join(', ')} (mse when left out)` }),
  metrics: Type.Array(Type.Union(literals(Object.keys(METRICS))), { uniqueItems: true, expected: `a list of: ${Object.keys(METRICS).join(', ')}` }),
  target_scaling: Type.Union(literals(TARGET_SCALINGS), { expected: `one of ${TARGET_SCALINGS.join(', ')} (auto: log for skewed non-negative targets, else standard)` }),
};
type RegressionHead = HeadEntry<typeof SETTINGS>;

export const regression: HeadDef<'regression', typeof SETTINGS> = {
  type: 'regression',
  doc: 'Predicts `units` real numbers with a linear output layer, trained on standardised targets (exports original units).',
  settings: SETTINGS,
  params: HEAD_PARAMS,
  scores: REGRESSION_SCORES,
  info(name: string, written: RegressionHead): HeadInfo {
    return { name, type: 'regression', units: written.units ?? 1 };
  },
  /** Trained on standardised targets; the exported graph appends the fixed inverse, named as the head. */
  build(ctx: BuildContext, input: Sym, info: HeadInfo, p: Params): Sym {
    const units = regressionData.width(info);
    const x = outputFeatures(ctx, input, p);
    if (!ctx.forExport || !info.scaling) return outputLayer(ctx, x, units, 'linear');
    const standardised = outputLayer({ ...ctx, name: standardisedName(ctx.name) }, x, units, 'linear');
    return rescaleLayers(standardised, units, info.scaling, ctx.name);
  },
  // mse, AutoKeras's default: the mean is what it estimates; huber or mae when outliers dominate.
  // Targets arrive in their own units and are standardised here, so the loss is near 1 for any units.
  loss(info: HeadInfo, written: RegressionHead): MetricDef {
    const name = written.loss ?? 'mse';
    return { name, fn: namedMetric(name, onStandardised(info.scaling, LOSSES[name])), direction: 'min' };
  },
  // mae by default: the loss already reports mse, and mae reads in the target's own units.
  metrics(info: HeadInfo, written: RegressionHead): MetricDef[] {
    const names = written.metrics ?? ['mae'];
    return names.map((name) => ({ name, fn: namedMetric(name, inOriginalUnits(info.scaling, METRICS[name])), direction: 'min' as const }));
  },
};

/** A loss on the standardised scale: targets (original units) are transformed, outputs already are. */
const onStandardised = (s: TargetScaling | undefined, fn: LossOrMetricFn): LossOrMetricFn =>
  s ? (yTrue, yPred) => tf.tidy(() => fn(forwardTensor(s, yTrue), yPred)) : fn;

/** A metric in the target's units: the trained outputs are mapped back before comparing. */
const inOriginalUnits = (s: TargetScaling | undefined, fn: LossOrMetricFn): LossOrMetricFn =>
  s ? (yTrue, yPred) => tf.tidy(() => fn(yTrue, inverseTensor(s, yPred))) : fn;
