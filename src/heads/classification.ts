import { Type } from '@sinclair/typebox';
import type { BuildContext, Params, Sym } from '../blocks/block';
import type { HeadInfo } from '../data/source';
import { HeadSettingsError } from './errors';
import type { HeadDef, LossOrMetricFn, MetricDef, HeadEntry } from './head';
import { binaryCrossentropy, categoricalCrossentropy } from './losses';
import { binaryAccuracy, categoricalAccuracy, namedMetric } from './metrics';
import { HEAD_PARAMS, outputFeatures, outputLayer } from './output';
import { CLASSIFICATION_SCORES } from './head-scores';
import { classificationOutput } from './classification-output';

const LOSSES: Record<string, LossOrMetricFn> = { binary_crossentropy: binaryCrossentropy, categorical_crossentropy: categoricalCrossentropy };
/** Only metrics whose batch means average to the epoch's value (see metrics.ts). */
const METRICS = ['accuracy'] as const;

const literals = (values: readonly string[]) => values.map((v) => Type.Literal(v));

const SETTINGS = {
  classes: Type.Integer({ minimum: 2, expected: 'an integer >= 2 (the number of classes; read from the data when left out)' }),
  multi_label: Type.Boolean({ expected: 'true or false' }),
  loss: Type.Union(literals(Object.keys(LOSSES)), { expected: `one of ${Object.keys(LOSSES).join(', ')} (inferred when left out)` }),
  metrics: Type.Array(Type.Union(literals(METRICS)), { uniqueItems: true, expected: `a list of: ${METRICS.join(', ')}` }),
};
type ClassificationHead = HeadEntry<typeof SETTINGS>;

const lossName = (info: HeadInfo, written: ClassificationHead): string =>
  written.loss ?? (classificationOutput(info).activation === 'sigmoid' ? 'binary_crossentropy' : 'categorical_crossentropy');

export const classification: HeadDef<'classification', typeof SETTINGS> = {
  type: 'classification',
  doc: 'Predicts one of `classes` (softmax; one sigmoid unit for two) or, with multi_label, any subset of them (a sigmoid per class).',
  settings: SETTINGS,
  params: HEAD_PARAMS,
  scores: CLASSIFICATION_SCORES,
  info(name: string, written: ClassificationHead): HeadInfo {
    return { name, type: 'classification', classes: written.classes ?? 2, multiLabel: written.multi_label === true };
  },
  build(ctx: BuildContext, input: Sym, info: HeadInfo, p: Params): Sym {
    const { units, activation } = classificationOutput(info);
    return outputLayer(ctx, outputFeatures(ctx, input, p), units, activation);
  },
  loss(info: HeadInfo, written: ClassificationHead): MetricDef {
    const problem = classification.problems!(info, written)[0];
    if (problem) throw new HeadSettingsError(info.name, problem);
    const name = lossName(info, written);
    return { name, fn: namedMetric(name, LOSSES[name]), direction: 'min' };
  },
  /** `accuracy` follows the output: thresholded at 0.5 for sigmoids, argmax for softmax. */
  metrics(info: HeadInfo, written: ClassificationHead): MetricDef[] {
    const names = written.metrics ?? ['accuracy'];
    const accuracy = classificationOutput(info).activation === 'sigmoid' ? binaryAccuracy : categoricalAccuracy;
    return names.map((name) => ({ name, fn: namedMetric(name, accuracy), direction: 'max' as const }));
  },
  problems(info: HeadInfo, written: ClassificationHead): string[] {
    if (lossName(info, written) !== 'categorical_crossentropy' || classificationOutput(info).activation === 'softmax') return [];
    const why = info.multiLabel ? 'multi_label predicts each class with its own sigmoid' : 'two classes are predicted by one sigmoid unit';
    return [`loss categorical_crossentropy needs a softmax output, but ${why}; use binary_crossentropy or leave loss out`];
  },
};
