/** Defaults for everything a spec may leave out, each with its reason. */
import type { RawSpec } from './schema';
import { DURATION } from './schema-parts';
import type { Objective, Spec } from './types';
import { inputWithDefaults } from '../inputs/registry';
import { TEXT_DEFAULTS } from '../inputs/text';

export const DEFAULTS = {
  seed: 0,
  rows: 100,
  // 20% held out, as Keras's validation_split examples and AutoKeras's default.
  validation_split: 0.2,
  max_trials: 10,
  tuner: 'greedy',
  objective: 'val_loss',
  epochs: 10,
  batch_size: 32,
  max_tokens: TEXT_DEFAULTS.max_tokens,
  sequence_length: TEXT_DEFAULTS.sequence_length,
  backend: 'auto',
};

export { DURATION } from './schema-parts';

/** "90s", "30m", "2h" or a number of seconds. */
export function parseDuration(written: string | number): number {
  if (typeof written === 'number') return written;
  const m = DURATION.exec(written);
  if (!m) throw new Error(`not a duration: ${written}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
}

const MAX_IS_BETTER = /(accuracy|acc|precision|recall|auc|f1|r2)$/;

/** Losses and errors go down, accuracies go up (KerasTuner infers the direction the same way). */
/** The sum of the heads' unweighted validation losses: comparable across searched loss weights. */
export const UNWEIGHTED_OBJECTIVE = 'val_unweighted_loss';

export const searchesLossWeights = (weights: Record<string, unknown> | unknown[] | undefined) =>
  Object.values(weights ?? {}).some((w) => typeof w === 'object' && w !== null);

export function objectiveOf(written: NonNullable<RawSpec['search']>['objective'], lossWeightsSearched = false): Objective {
  if (written === undefined && lossWeightsSearched) return { metric: UNWEIGHTED_OBJECTIVE, direction: 'min' };
  if (written && typeof written === 'object') return { metric: written.metric, direction: written.direction ?? inferDirection(written.metric) };
  const metric = written ?? DEFAULTS.objective;
  return { metric, direction: inferDirection(metric) };
}

export const inferDirection = (metric: string): 'min' | 'max' => (MAX_IS_BETTER.test(metric) ? 'max' : 'min');

/** Keras's list form maps by position onto the heads as written; left out, a head weighs 1. */
export function lossWeightsByHead(raw: Pick<RawSpec, 'heads' | 'loss_weights'>): Record<string, unknown> {
  const written = raw.loss_weights;
  return Object.fromEntries(Object.keys(raw.heads).map((h, i) => [h, (Array.isArray(written) ? written[i] : written?.[h]) ?? 1]));
}

export function applyDefaults(raw: RawSpec, file: string): Spec {
  const search = raw.search ?? {};
  return {
    file,
    name: raw.name,
    seed: raw.seed ?? DEFAULTS.seed,
    data: { rows: DEFAULTS.rows, validation_split: DEFAULTS.validation_split, on_bad_row: 'error', ...raw.data },
    inputs: Object.fromEntries(Object.entries(raw.inputs).map(([name, input]) => [name, inputWithDefaults(input)])),
    blocks: raw.blocks ?? {},
    heads: raw.heads,
    loss_weights: lossWeightsByHead(raw),
    search: {
      max_trials: search.max_trials ?? DEFAULTS.max_trials,
      tuner: search.tuner ?? DEFAULTS.tuner,
      objective: objectiveOf(search.objective, searchesLossWeights(raw.loss_weights)),
      epochs: search.epochs ?? DEFAULTS.epochs,
      batch_size: search.batch_size ?? DEFAULTS.batch_size,
      early_stopping: search.early_stopping,
      reduce_lr: search.reduce_lr,
      time_limit: search.time_limit === undefined ? undefined : parseDuration(search.time_limit),
      max_model_size: search.max_model_size,
      refit: search.refit ?? true,
      optimizer: search.optimizer,
      learning_rate: search.learning_rate,
      backend: search.backend ?? DEFAULTS.backend,
      workers: search.workers,
      threads: search.threads,
    },
    basic: raw.blocks === undefined || Object.keys(raw.blocks).length === 0,
  };
}
