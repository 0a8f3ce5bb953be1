/** Runs one trial where it is (main thread or worker): train, save its model, report its outcome. */
import * as tf from '@tensorflow/tfjs-core';
import { saveModelDir } from '../export/artifacts';
import type { Plan } from '../graph/plan';
import { resolveTrial } from '../graph/resolve';
import type { PreparedData } from '../data/source';
import type { Spec } from '../spec/types';
import { replayPicker } from './hp';
import { paths } from './project';
import type { TrainHooks, TrainResult } from './training/job';
import { TrialInterrupted, TrialSkipped, TrialStopped } from './training/errors';
import { disposeModel } from './training/dispose';
import { trainWithPretrained } from '../pretrained/train';
import { refitSplits } from '../data/splits';
import { StorageError } from '../util/atomic';
import type { Trial } from './trial';

export interface TrialJob {
  id: string;
  index: number;
  seed: number;
  values: Trial['values'];
  epochs: number;
  /** Absolute wall-clock limit of the search (ms since epoch). */
  deadline?: number;
  /** Refit on training + half the validation rows (see refitSplits), keeping the last epoch. */
  refit?: boolean;
}

export type TrialOutcome = Pick<Trial, 'status' | 'score' | 'bestEpoch' | 'history' | 'params' | 'message' | 'durationMs' | 'worker'> & {
  /** The disk refused a write (full, read-only): the search must stop, and the trial stays to be retrained. */
  halt?: string;
};

/** The search stopped because the disk refused a write; runtime, not the user's input (exit code 1). */
export class SearchHalted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchHalted';
  }
}

export interface TrialContext {
  spec: Spec;
  plan: Plan;
  data: PreparedData;
  project: string;
}

export async function executeTrial(ctx: TrialContext, job: TrialJob, hooks: TrainHooks = {}): Promise<TrialOutcome> {
  const started = Date.now();
  const history: Trial['history'] = [];
  const elapsed = () => Date.now() - started;
  const attempt = (batchSize: number) => trainAndSave(ctx, job, batchSize, { ...hooks, onEpoch: (e, logs) => (history.push(logs), hooks.onEpoch?.(e, logs)) });
  try {
    let result: Omit<TrialOutcome, 'durationMs'>;
    try {
      result = await attempt(ctx.spec.search.batch_size);
    } catch (err) {
      // KerasTuner-style: an out-of-memory trial gets one more chance at half the batch.
      if (!isOutOfMemory(err) || ctx.spec.search.batch_size < 2) throw err;
      history.length = 0;
      result = await attempt(Math.floor(ctx.spec.search.batch_size / 2));
      result.message = `out of memory at batch_size ${ctx.spec.search.batch_size}; trained at ${Math.floor(ctx.spec.search.batch_size / 2)}`;
    }
    return { ...result, durationMs: elapsed() };
  } catch (err) {
    if (err instanceof TrialInterrupted) return { status: 'running', history: [], message: err.message, durationMs: elapsed() };
    if (err instanceof StorageError) return { status: 'running', history: [], message: 'not saved; --resume retrains it', halt: err.message, durationMs: elapsed() };
    if (err instanceof TrialSkipped) return { status: 'skipped', history, params: err.params, message: err.message, durationMs: elapsed() };
    if (err instanceof TrialStopped) return { ...(await savePartial(ctx, job, err)), history, durationMs: elapsed() };
    return { status: 'failed', history, message: describeFailure(err), durationMs: elapsed() };
  }
}

async function trainAndSave(ctx: TrialContext, job: TrialJob, batchSize: number, hooks: TrainHooks): Promise<Omit<TrialOutcome, 'durationMs'>> {
  const spec = batchSize === ctx.spec.search.batch_size ? ctx.spec : { ...ctx.spec, search: { ...ctx.spec.search, batch_size: batchSize } };
  const resolution = resolveTrial(spec, ctx.plan, replayPicker(job.values));
  const data = job.refit ? { ...ctx.data, ...refitSplits(ctx.data.train, ctx.data.validation) } : ctx.data;
  const result = await trainWithPretrained({ spec, plan: ctx.plan, resolution, data, seed: job.seed, epochs: job.epochs, deadline: job.deadline, keepLast: job.refit }, hooks, paths(ctx.project).features);
  await saveAndDispose(ctx, job, result);
  return { status: 'completed', score: result.score, bestEpoch: result.bestEpoch, history: result.history, params: result.params };
}

async function saveAndDispose(ctx: TrialContext, job: TrialJob, result: TrainResult): Promise<void> {
  try {
    await saveModelDir(result.model, paths(ctx.project).trialModel(job.id));
  } finally {
    disposeModel(result.model);
  }
}

/** A trial stopped by the time limit keeps (and saves) its best epoch so far. */
async function savePartial(ctx: TrialContext, job: TrialJob, err: TrialStopped): Promise<Omit<TrialOutcome, 'durationMs' | 'history'>> {
  if (!err.partial) return { status: 'stopped', message: `${err.message}, with no epoch finished` };
  await saveAndDispose(ctx, job, err.partial);
  return { status: 'stopped', score: err.partial.score, bestEpoch: err.partial.bestEpoch, params: err.partial.params, message: err.message };
}

const OOM = /out of memory|Maximum memory size|Cannot enlarge memory|OOM|Array buffer allocation failed|memory access out of bounds/i;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
const isOutOfMemory = (err: unknown) => OOM.test(messageOf(err));
/**
 * emscripten's abort: on wasm it follows an allocation the 4 GB address space cannot hold, and the
 * module is unusable afterwards, so there is no retry in this engine (the worker is replaced).
 */
const isEngineAbort = (err: unknown) => /^Aborted\(/.test(messageOf(err));

/** Out-of-memory gets a message that says what to do, not the engine's abort text. */
export function describeFailure(err: unknown): string {
  const text = err instanceof Error ? `${err.name === 'Error' ? '' : err.name + ': '}${err.message}` : String(err);
  if (isEngineAbort(err)) {
    return `out of memory: the ${tf.getBackend()} engine stopped (it addresses at most 4 GB); try a smaller batch_size, smaller inputs or max_model_size`;
  }
  if (isOutOfMemory(err)) {
    return `out of memory on the ${tf.getBackend()} engine (${text.split('\n')[0]}); try a smaller batch_size or a smaller model`;
  }
  return text.split('\n')[0];
}
