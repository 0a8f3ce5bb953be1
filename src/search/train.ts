/**
 * Trains one trial: build, compile with weighted per-head losses, fit epoch by epoch with seeded
 * shuffles, keep the best epoch's weights, stop early or on a non-finite loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { buildModel, copyWeights } from '../graph/build';
import type { Plan } from '../graph/plan';
import type { Resolution } from '../graph/resolve';
import { HEADS } from '../heads/registry';
import type { MetricDef } from '../heads/head';
import type { DataSplit, HeadInfo, PreparedData } from '../data/source';
import { forwardValue, inverseValue } from '../data/target-scaling';
import { headScores } from '../heads/head-scores';
import { classificationOutput } from '../heads/classification';
import type { Spec } from '../spec/types';
import { makeOptimizer } from './optimizers';
import { EpochLogs, isBetter } from './trial';
import { inferDirection } from '../spec/defaults';
import { deriveSeed, makeRng, shuffleInPlace, withSeededMathRandom } from '../util/rng';
import { headLossName, headMetricName } from '../heads/log-names';

export class TrialFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrialFailure';
  }
}

export interface TrainHooks {
  /** Called after every batch (no tensor is read: cheap on every engine). */
  onBatch?(epoch: number, batch: number, batches: number): void;
  onEpoch?(epoch: number, logs: EpochLogs): void;
  /** Asked before every epoch: true when the user interrupted the search (Ctrl-C). */
  shouldStop?(): boolean;
}

/** Interrupted by the user: the trial is left to be retrained by --resume. */
export class TrialInterrupted extends Error {
  constructor() {
    super('interrupted before it finished; --resume retrains it');
    this.name = 'TrialInterrupted';
  }
}

export interface TrainResult {
  /** The best epoch's model, as the export graph (training-only layers left out). */
  model: tfl.LayersModel;
  history: EpochLogs[];
  bestEpoch: number;
  score: number;
  params: number;
}

export interface TrainJob {
  spec: Spec;
  plan: Plan;
  resolution: Resolution;
  data: PreparedData;
  seed: number;
  epochs: number;
  /** Wall-clock end of the search (ms since epoch): no epoch starts that would end after it. */
  deadline?: number;
  /** Refit: train exactly `epochs` and keep the last weights (no early stopping, no best-epoch pick). */
  keepLast?: boolean;
  /** Start from these weights (copied by layer name) instead of fresh ones: fine-tuning after a head's training. */
  initialWeights?: tfl.LayersModel;
}

/** The trial ran out of search time at an epoch boundary; it keeps its best epoch so far. */
export class TrialStopped extends Error {
  constructor(message: string, readonly partial?: TrainResult) {
    super(message);
    this.name = 'TrialStopped';
  }
}

/** The model is larger than search.max_model_size: not trained at all. */
export class TrialSkipped extends Error {
  constructor(message: string, readonly params: number) {
    super(message);
    this.name = 'TrialSkipped';
  }
}

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

/** Keras's plateau logic, shared by early stopping and learning-rate reduction. */
class Plateau {
  private best?: number;
  waited = 0;
  constructor(readonly monitor: string, private readonly direction: 'min' | 'max', private readonly minDelta = 0) {}
  /** Records an epoch; true when it improved on the best by more than minDelta. */
  update(logs: EpochLogs): boolean {
    const v = logs[this.monitor];
    if (v !== undefined && (this.best === undefined || improvement(v, this.best, this.direction) > this.minDelta)) {
      this.best = v;
      this.waited = 0;
      return true;
    }
    this.waited++;
    return false;
  }
}

const directionOf = (metric: string, objective: Spec['search']['objective']) => (metric === objective.metric ? objective.direction : inferDirection(metric));

async function fitEpochs(job: TrainJob, model: tfl.LayersModel, hooks: TrainHooks): Promise<TrainResult> {
  const { objective, early_stopping: es, reduce_lr: rl } = job.spec.search;
  const heads = compileModel(job, model);
  const stopper = es && !job.keepLast ? new Plateau(es.monitor ?? objective.metric, directionOf(es.monitor ?? objective.metric, objective), es.min_delta) : undefined;
  const reducer = rl ? new Plateau(rl.monitor ?? objective.metric, directionOf(rl.monitor ?? objective.metric, objective)) : undefined;
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
      if (reducer && !reducer.update(logs) && reducer.waited >= rl!.patience) reduceLearningRate(model, rl!.factor, rl!.min_lr ?? 0), (reducer.waited = 0);
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

/** tfjs's SGD family caches the rate in a tensor (setLearningRate); Adam and RMSProp read the field. */
function reduceLearningRate(model: tfl.LayersModel, factor: number, minLr: number): void {
  const opt = (model as unknown as { optimizer: { learningRate: number; setLearningRate?(lr: number): void } }).optimizer;
  const lr = Math.max(minLr, opt.learningRate * factor);
  if (opt.setLearningRate) opt.setLearningRate(lr);
  else opt.learningRate = lr;
}

const improvement = (value: number, reference: number, direction: 'min' | 'max') => (direction === 'min' ? reference - value : value - reference);

/** The same graph without training-only layers, holding the trained weights. */
export function exportGraph(job: TrainJob, trained: tfl.LayersModel): tfl.LayersModel {
  const exported = buildModel(job.plan, job.resolution, job.data, true);
  copyWeights(trained, exported);
  return exported;
}

export interface CompiledHead {
  name: string;
  info: HeadInfo;
  /** Output values per row. */
  width: number;
  weight: number;
  loss: MetricDef;
  metrics: MetricDef[];
}

const outputWidth = (info: HeadInfo) => (info.type === 'regression' ? info.units ?? 1 : classificationOutput(info).units);

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

const named = <F extends Function>(name: string, fn: F): F => Object.defineProperty(fn, 'name', { value: name });

async function fitOneEpoch(job: TrainJob, model: tfl.LayersModel, epoch: number, heads: CompiledHead[], hooks: TrainHooks): Promise<EpochLogs> {
  const batchSize = job.spec.search.batch_size;
  const order = shuffled(job.data.train.rows, deriveSeed(job.seed, 'epoch', epoch));
  const batches = Math.ceil(order.length / batchSize);
  const train = batchDataset(job.data.train, order, batchSize, (b) => hooks.onBatch?.(epoch, b, batches));
  const fit = await model.fitDataset(train as never, { epochs: 1, verbose: 0 });
  const raw = Object.fromEntries(Object.entries(fit.history).map(([k, v]) => [k, Number(v[0])]));
  return { ...normaliseLogs(raw, heads), ...(await evaluate(model, job.data.validation, heads, batchSize, 'val_')) };
}

/** What a model's regression outputs hold: the trained graph's standardised values, or an export's original units. */
export type ModelOutputs = 'trained' | 'exported';

/**
 * Validation (and test) logs, computed here rather than by fitDataset's validationData, whose logs
 * come out misaligned with their names in tfjs-layers 4.22 for multi-output models. Predictions of
 * the whole split are gathered first, so every score is exact over the set (precision, recall, F1,
 * AUC and R² are not means of batch values), and regression scores are in the target's own units.
 */
export async function evaluate(model: tfl.LayersModel, split: DataSplit, heads: CompiledHead[], batchSize: number, prefix = '', outputs: ModelOutputs = 'trained'): Promise<EpochLogs> {
  const { yTrue, yPred } = await predictSplit(model, split, heads, batchSize);
  const logs: EpochLogs = {};
  heads.forEach((h, i) => Object.assign(logs, headLogs(h, yTrue[i], yPred[i], outputs, prefix)));
  logs[`${prefix}loss`] = heads.reduce((sum, h) => sum + h.weight * logs[prefix + headLossName(h.name)], 0);
  logs[`${prefix}unweighted_loss`] = unweightedLoss(logs, heads, prefix);
  return logs;
}

/**
 * Every row's targets and outputs per head (in the model's output order), row-major. Each batch's
 * tensors stay on the device and are read once per head at the end, so an accelerator is not
 * synchronised per batch.
 */
export async function predictSplit(model: tfl.LayersModel, split: DataSplit, heads: readonly { name: string }[], batchSize: number): Promise<{ yTrue: Float32Array[]; yPred: Float32Array[] }> {
  const truths: tf.Tensor[][] = heads.map(() => []);
  const preds: tf.Tensor[][] = heads.map(() => []);
  try {
    for (let start = 0; start < split.rows; start += batchSize) {
      const indices = identity(Math.min(batchSize, split.rows - start)).map((i) => i + start);
      const batch = await split.batch(indices);
      const inputs = model.inputNames.map((n) => batch.xs[n]);
      const outputs = [model.predict(inputs.length === 1 ? inputs[0] : inputs, { batchSize: indices.length })].flat() as tf.Tensor[];
      const kept = new Set<tf.Tensor>(heads.flatMap((h, i) => [batch.ys[h.name], outputs[i]]));
      heads.forEach((h, i) => (truths[i].push(batch.ys[h.name]), preds[i].push(outputs[i])));
      tf.dispose([...Object.values(batch.xs), ...Object.values(batch.ys), ...outputs].filter((t) => !kept.has(t)));
    }
    return { yTrue: await Promise.all(truths.map(readRows)), yPred: await Promise.all(preds.map(readRows)) };
  } finally {
    tf.dispose([...truths.flat(), ...preds.flat()]);
  }
}

/** One head's values of every batch, as one row-major array. */
async function readRows(parts: tf.Tensor[]): Promise<Float32Array> {
  if (parts.length === 0) return new Float32Array(0);
  const all = tf.tidy(() => tf.concat(parts.map((p) => tf.reshape(p, [p.shape[0], -1]))));
  try {
    return Float32Array.from(await all.data());
  } finally {
    all.dispose();
  }
}

/** One head's loss (on the scale it trains on) and its scores (in original units). */
function headLogs(h: CompiledHead, yTrue: Float32Array, yPred: Float32Array, outputs: ModelOutputs, prefix: string): EpochLogs {
  const s = h.info.scaling;
  const width = h.width;
  const rows = yTrue.length / width;
  // No rows (a tiny validation split): NaN, which no objective prefers.
  if (rows === 0) return Object.fromEntries([headLossName(h.name), ...HEADS[h.info.type].scores.map((k) => headMetricName(h.name, k))].map((n) => [prefix + n, NaN]));
  const original = s && outputs === 'trained' ? Float64Array.from(yPred, (z) => inverseValue(s, z)) : yPred;
  const standardised = s && outputs === 'exported' ? Float32Array.from(yPred, (v) => forwardValue(s, v)) : yPred;
  const loss = tf.tidy(() => h.loss.fn(tf.tensor2d(yTrue, [rows, width]), tf.tensor2d(standardised, [rows, width])).dataSync()[0]);
  const scores = headScores(h.info, yTrue, original, width);
  return { [prefix + headLossName(h.name)]: loss, ...Object.fromEntries(Object.entries(scores).map(([k, v]) => [prefix + headMetricName(h.name, k), v])) };
}

/**
 * Training logs under stable names whatever the number of heads: loss, <head>_loss (unweighted),
 * <head>_<metric>. tfjs-layers drops the head prefix for single-output models.
 */
export function normaliseLogs(raw: Record<string, number>, heads: CompiledHead[]): EpochLogs {
  const logs: EpochLogs = {};
  logs.loss = raw.loss;
  const single = heads.length === 1;
  for (const h of heads) {
    // tfjs-layers prefixes a multi-output model's logs with the output name, as our scheme does.
    const weighted = single ? raw.loss : raw[headLossName(h.name)];
    logs[headLossName(h.name)] = h.weight > 0 ? weighted / h.weight : NaN;
    for (const m of h.metrics) logs[headMetricName(h.name, m.name)] = single ? raw[m.name] : raw[headMetricName(h.name, m.name)];
  }
  logs.unweighted_loss = unweightedLoss(logs, heads);
  return logs;
}

/** The heads' own losses summed: comparable across trials whose loss weights differ. */
const unweightedLoss = (logs: EpochLogs, heads: CompiledHead[], prefix = '') => heads.reduce((sum, h) => sum + logs[prefix + headLossName(h.name)], 0);

/** A tf.data-like dataset (what fitDataset duck-types) that materialises one batch at a time. */
function batchDataset(split: DataSplit, order: Int32Array, batchSize: number, onBatch?: (b: number) => void) {
  return {
    size: Math.ceil(order.length / batchSize),
    iterator: async () => {
      let b = 0;
      return {
        next: async () => {
          if (b * batchSize >= order.length) return { done: true, value: null };
          const batch = await split.batch(order.subarray(b * batchSize, (b + 1) * batchSize));
          onBatch?.(b);
          b++;
          return { done: false, value: batch };
        },
      };
    },
  };
}

const identity = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

function shuffled(n: number, seed: number): Int32Array {
  return shuffleInPlace(identity(n), makeRng(seed).next);
}

/** Frees a model's weights and its optimizer's slots (tfjs keeps both alive otherwise). */
export function disposeModel(model: tfl.LayersModel): void {
  const optimizer = (model as unknown as { optimizer?: tf.Optimizer }).optimizer;
  optimizer?.dispose();
  model.dispose();
}
