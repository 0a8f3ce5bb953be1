/**
 * TensorBoard logs of a search, written as it runs (tensorboard --logdir runs/<name>/tensorboard):
 *
 *   tensorboard/                      the HParams experiment (every hyperparameter and metric)
 *   tensorboard/<trial>/              the trial's HParams session (its values; how it ended)
 *   tensorboard/<trial>/train/        epoch_<log> scalars per epoch, on training rows
 *   tensorboard/<trial>/validation/   the same on validation rows (the val_ logs)
 *
 * the layout Keras's TensorBoard callback uses, so the HParams tab pairs sessions with metrics.
 */
import * as path from 'node:path';
import type { Reporter } from '../search/types';
import type { Leaderboard } from '../search/project';
import { REFIT_ID, REFIT_INDEX } from '../search/best';
import type { Trial } from '../search/trial';
import type { HpValue } from '../spec/space';
import { EventWriter } from './events';
import { graphDefOf } from './graph';
import { DATASET, HPARAM_TYPE, SESSION_STATUS } from './protos';

export const EXPERIMENT_TAG = '_hparams_/experiment';
export const SESSION_START_TAG = '_hparams_/session_start_info';
export const SESSION_END_TAG = '_hparams_/session_end_info';

interface RunWriters { id: string; session: EventWriter; train?: EventWriter; validation?: EventWriter }

/** A run's files are closed when it ends (or the search does): one open descriptor per live writer. */
function closeRun(runs: Map<number, RunWriters>, index: number): void {
  const run = runs.get(index);
  runs.delete(index);
  for (const writer of [run?.session, run?.train, run?.validation]) writer?.close();
}

export function tensorboardReporter(dir: string): Reporter {
  const runs = new Map<number, RunWriters>();
  const trials: Trial[] = [];
  const metricTags = new Set<string>();
  const open = (index: number, id: string) => {
    const session = new EventWriter(path.join(dir, id));
    runs.set(index, { id, session });
    return session;
  };
  return {
    start: (info) => info.done.forEach((t) => trials.push(t)),
    trialStarted: (t) => {
      open(t.index, t.id).hparams(SESSION_START_TAG, { session_start_info: { hparams: hparamValues(t.values), group_name: t.id, start_time_secs: Date.now() / 1000 } });
    },
    epoch: (index, epoch, logs) => {
      const run = runs.get(index);
      if (!run) return;
      for (const [key, value] of Object.entries(logs)) {
        if (!Number.isFinite(value)) continue;
        const validation = key.startsWith('val_');
        const tag = `epoch_${validation ? key.slice(4) : key}`;
        const group = validation ? 'validation' : 'train';
        metricTags.add(`${group}\t${tag}`);
        run[group] ??= new EventWriter(path.join(dir, run.id, group));
        run[group]!.scalar(tag, value, epoch);
      }
    },
    trialEnded: (t) => {
      trials.push(t);
      const status = t.status === 'completed' || t.status === 'stopped' ? SESSION_STATUS.success : t.status === 'running' ? undefined : SESSION_STATUS.failure;
      if (status !== undefined) runs.get(t.index)?.session.hparams(SESSION_END_TAG, { session_end_info: { status, end_time_secs: Date.now() / 1000 } });
      closeRun(runs, t.index);
    },
    refitStarted: () => void open(REFIT_INDEX, REFIT_ID),
    refitEnded: () => closeRun(runs, REFIT_INDEX),
    finish: (board) => {
      for (const index of [...runs.keys()]) closeRun(runs, index);
      writeExperiment(dir, board, trials, metricTags);
    },
  };
}

/** The experiment: every hyperparameter met, with its domain, and every metric logged. */
function writeExperiment(dir: string, board: Leaderboard, trials: Trial[], metricTags: Set<string>): void {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.values)))].sort();
  const hparam_infos = names.map((name) => hparamInfo(name, trials.map((t) => t.values[name]).filter((v) => v !== undefined)));
  const metric_infos = [...metricTags].sort().map((key) => {
    const [group, tag] = key.split('\t');
    return { name: { group, tag }, dataset_type: group === 'validation' ? DATASET.validation : DATASET.training };
  });
  const experiment = { name: board.name, description: `automm search ${board.name}: objective ${board.objective.metric} (${board.objective.direction})`, time_created_secs: Date.now() / 1000, hparam_infos, metric_infos };
  const writer = new EventWriter(dir);
  writer.hparams(EXPERIMENT_TAG, { experiment });
  writer.close();
}

function hparamInfo(name: string, values: HpValue[]): Record<string, unknown> {
  const scalars = values.map(asScalar);
  if (scalars.every((v) => typeof v === 'number')) {
    const nums = scalars as number[];
    return { name, type: HPARAM_TYPE.float64, domain_interval: { min_value: Math.min(...nums), max_value: Math.max(...nums) } };
  }
  const type = scalars.every((v) => typeof v === 'boolean') ? HPARAM_TYPE.bool : HPARAM_TYPE.string;
  const distinct = [...new Set(scalars.map((v) => JSON.stringify(v)))].map((v) => protoValue(JSON.parse(v)));
  return { name, type, domain_discrete: { values: distinct } };
}

/** HParams holds scalars only: lists (layer sizes) become their JSON text. */
const asScalar = (v: HpValue): number | string | boolean => (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : JSON.stringify(v));

function protoValue(v: number | string | boolean): Record<string, unknown> {
  return typeof v === 'number' ? { number_value: v } : typeof v === 'boolean' ? { bool_value: v } : { string_value: v };
}

function hparamValues(values: Record<string, HpValue>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, protoValue(asScalar(v))]));
}

/** The best model's layer graph, in the best trial's run (TensorBoard's Graphs tab). */
export function writeModelGraph(dir: string, trialId: string, model: Parameters<typeof graphDefOf>[0]): string {
  const writer = new EventWriter(path.join(dir, trialId));
  writer.graph(graphDefOf(model));
  writer.close();
  return writer.file;
}
