/** Runs one trial where it is (main thread or worker): train, save its model, report its outcome. */
import * as tf from '@tensorflow/tfjs-core';
import { saveModelDir } from '../export/artifacts';
import type { Plan } from '../graph/plan';
import { resolveTrial } from '../graph/resolve';
import type { PreparedData } from '../data/source';
import type { Spec } from '../spec/types';
import { replayPicker } from './hp';
import { paths } from './project';
import { TrainHooks, disposeModel, trainTrial } from './train';
import type { Trial } from './trial';

export interface TrialJob {
  id: string;
  index: number;
  seed: number;
  values: Trial['values'];
  epochs: number;
}

export type TrialOutcome = Pick<Trial, 'status' | 'score' | 'bestEpoch' | 'history' | 'params' | 'message' | 'durationMs'>;

export interface TrialContext {
  spec: Spec;
  plan: Plan;
  data: PreparedData;
  project: string;
}

export async function executeTrial(ctx: TrialContext, job: TrialJob, hooks: TrainHooks = {}): Promise<TrialOutcome> {
  const started = Date.now();
  const history: Trial['history'] = [];
  try {
    const resolution = resolveTrial(ctx.spec, ctx.plan, replayPicker(job.values));
    const result = await trainTrial(
      { spec: ctx.spec, plan: ctx.plan, resolution, data: ctx.data, seed: job.seed, epochs: job.epochs },
      { ...hooks, onEpoch: (e, logs) => (history.push(logs), hooks.onEpoch?.(e, logs)) },
    );
    try {
      await saveModelDir(result.model, paths(ctx.project).trialModel(job.id));
    } finally {
      disposeModel(result.model);
    }
    return { status: 'completed', score: result.score, bestEpoch: result.bestEpoch, history: result.history, params: result.params, durationMs: Date.now() - started };
  } catch (err) {
    return { status: 'failed', history, message: describeFailure(err), durationMs: Date.now() - started };
  }
}

/** Out-of-memory gets a message that says what to do, not the engine's abort text. */
export function describeFailure(err: unknown): string {
  const text = err instanceof Error ? `${err.name === 'Error' ? '' : err.name + ': '}${err.message}` : String(err);
  if (/out of memory|Maximum memory size|Cannot enlarge memory|OOM|Array buffer allocation failed/i.test(text)) {
    return `out of memory on the ${tf.getBackend()} engine (${text.split('\n')[0]}); try a smaller batch_size or a smaller model`;
  }
  return text.split('\n')[0];
}
