/**
 * Trains one trial: build, compile with weighted per-head losses (training/compile.ts), fit epoch by
 * epoch with seeded shuffles (training/dataset.ts), score the validation rows (training/evaluate.ts),
 * keep the best epoch's weights, stop early (training/plateau.ts) or on a non-finite loss.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildModel, copyWeights } from '../graph/build';
import { reduceLearningRate } from './optimizers';
import { EpochLogs, isBetter } from './trial';
import { deriveSeed, withSeededMathRandom } from '../util/rng';
import { CompiledHead, compileModel } from './training/compile';
import { batchDataset, shuffled } from './training/dataset';
import { disposeModel } from './training/dispose';
import { TrialFailure, TrialInterrupted, TrialSkipped, TrialStopped } from './training/errors';
import { evaluate } from './training/evaluate';
import type { TrainHooks, TrainJob, TrainResult } from './training/job';
import { normaliseLogs } from './training/logs';
import { plateauOn } from './training/plateau';

export async function trainTrial(job: TrainJob, hooks: TrainHooks = {}): Promise<TrainResult> {
  return withSeededMathRandom(job.seed, async () => {
    const model = buildModel(job.plan, job.resolution, job.data);
    try {
      if (job.initialWeights) copyWeights(job.initialWeights, model);
      const params = model.countParams();
      const limit = job.spec.search.max_model_size;
      if (limit !== undefined && params > limit) throw new TrialSkipped(`${params.toLocaleString('en')} parameters > search.max_model_size ${limit.toLocaleString('en')}`, params);
      return await fitEpochs(job, model, hooks);
    } finally {
      disposeModel(model);
    }
  });
}

async function fitEpochs(job: TrainJob, model: tfl.LayersModel, hooks: TrainHooks): Promise<TrainResult> {
  const { objective, early_stopping: es, reduce_lr: rl } = job.spec.search;
  const heads = compileModel(job, model);
  const stopper = es && !job.keepLast ? plateauOn(es.monitor, objective, es.min_delta) : undefined;
  const reducer = rl ? plateauOn(rl.monitor, objective) : undefined;
  const history: EpochLogs[] = [];
  let best: Best | undefined;
  let lastEpochMs = 0;
  const result = () => finish(job, model, history, best!);
  try {
    for (let epoch = 0; epoch < job.epochs; epoch++) {
      if (hooks.shouldStop?.()) throw new TrialInterrupted();
      if (job.deadline !== undefined && Date.now() + lastEpochMs > job.deadline) {
        throw new TrialStopped(`stopped by the search's time limit before epoch ${epoch + 1}`, best ? result() : undefined);
      }
      const started = Date.now();
      const logs = await fitOneEpoch(job, model, epoch, heads, hooks);
      lastEpochMs = Date.now() - started;
      history.push(logs);
      hooks.onEpoch?.(epoch, logs);
      const score = checkedScore(logs, objective.metric, epoch);
      // A refit keeps its last epoch, which is what the model holds whenever result() runs: no copy.
      if (job.keepLast) best = { epoch, score };
      else if (isBetter(score, best?.score, objective.direction)) {
        best?.weights?.forEach((w) => w.dispose());
        best = { epoch, score, weights: model.getWeights().map((w) => w.clone()) };
      }
      if (reducer && !reducer.update(logs) && reducer.waited >= rl!.patience) reduceLearningRate(model.optimizer, rl!.factor, rl!.min_lr ?? 0), (reducer.waited = 0);
      if (stopper && !stopper.update(logs) && stopper.waited >= es!.patience) break;
    }
    return result();
  } finally {
    best?.weights?.forEach((w) => w.dispose());
  }
}

/** The epoch to keep; its weights are copied unless the model already holds them (a refit). */
interface Best { epoch: number; score: number; weights?: tf.Tensor[] }

function checkedScore(logs: EpochLogs, metric: string, epoch: number): number {
  if (!Number.isFinite(logs.loss)) throw new TrialFailure(`the loss became ${logs.loss} at epoch ${epoch + 1}`);
  const score = logs[metric];
  if (score === undefined) throw new TrialFailure(`the objective "${metric}" was not logged; logged: ${Object.keys(logs).join(', ')}`);
  return score;
}

function finish(job: TrainJob, model: tfl.LayersModel, history: EpochLogs[], best: Best): TrainResult {
  if (best.weights) model.setWeights(best.weights);
  return { model: exportGraph(job, model), history, bestEpoch: best.epoch, score: best.score, params: model.countParams() };
}

/** The same graph without training-only layers, holding the trained weights. */
export function exportGraph(job: TrainJob, trained: tfl.LayersModel): tfl.LayersModel {
  const exported = buildModel(job.plan, job.resolution, job.data, true);
  copyWeights(trained, exported);
  return exported;
}

/** One pass over the training rows in this epoch's seeded order, then the validation rows' scores. */
async function fitOneEpoch(job: TrainJob, model: tfl.LayersModel, epoch: number, heads: CompiledHead[], hooks: TrainHooks): Promise<EpochLogs> {
  const batchSize = job.spec.search.batch_size;
  const order = shuffled(job.data.train.rows, deriveSeed(job.seed, 'epoch', epoch));
  const batches = Math.ceil(order.length / batchSize);
  const train = batchDataset(job.data.train, order, batchSize, (b) => hooks.onBatch?.(epoch, b, batches));
  const fit = await model.fitDataset(train as never, { epochs: 1, verbose: 0 });
  const raw = Object.fromEntries(Object.entries(fit.history).map(([k, v]) => [k, Number(v[0])]));
  return { ...normaliseLogs(raw, heads), ...(await evaluate(model, job.data.validation, heads, batchSize, 'val_')) };
}
