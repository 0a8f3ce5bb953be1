import { Type } from '@sinclair/typebox';
import type { BuildContext, Params, Sym } from '../blocks/block';
import type { HeadInfo } from '../data/source';
import type { HeadDef, LossOrMetricFn, MetricDef } from './head';
import { huber, meanAbsoluteError, meanSquaredError } from './losses';
import { mae, mse, namedMetric, rmse } from './metrics';
import { DROPOUT, outputFeatures, outputLayer } from './output';

const LOSSES: Record<string, LossOrMetricFn> = { mse: meanSquaredError, mae: meanAbsoluteError, huber };
const METRICS: Record<string, LossOrMetricFn> = { mae, mse, rmse };

const literals = (values: readonly string[]) => values.map((v) => Type.Literal(v));

export const regression: HeadDef = {
  type: 'regression',
  doc: 'Predicts `units` real numbers with a linear output layer.',
  settings: {
    units: Type.Integer({ minimum: 1, expected: 'an integer >= 1 (numbers predicted; 1 when left out)' }),
    loss: Type.Union(literals(Object.keys(LOSSES)), { expected: `one of ${Object.keys(LOSSES).join(', ')} (mse when left out)` }),
    metrics: Type.Array(Type.Union(literals(Object.keys(METRICS))), { uniqueItems: true, expected: `a list of: ${Object.keys(METRICS).join(', ')}` }),
  },
  params: { dropout: DROPOUT },
  info(name: string, written: Record<string, unknown>): HeadInfo {
    return { name, type: 'regression', units: (written.units as number | undefined) ?? 1 };
  },
  build(ctx: BuildContext, input: Sym, info: HeadInfo, p: Params): Sym {
    return outputLayer(ctx, outputFeatures(ctx, input, p.dropout ?? 0), info.units ?? 1, 'linear');
  },
  // mse, AutoKeras's default: the mean is what it estimates; huber or mae when outliers dominate.
  loss(_info: HeadInfo, written: Record<string, unknown>): MetricDef {
    const name = (written.loss as string | undefined) ?? 'mse';
    return { name, fn: namedMetric(name, LOSSES[name]), direction: 'min' };
  },
  // mae by default: the loss already reports mse, and mae reads in the target's own units.
  metrics(_info: HeadInfo, written: Record<string, unknown>): MetricDef[] {
    const names = (written.metrics as string[] | undefined) ?? ['mae'];
    return names.map((name) => ({ name, fn: namedMetric(name, METRICS[name]), direction: 'min' as const }));
  },
};
