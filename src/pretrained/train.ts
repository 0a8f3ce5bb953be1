/**
 * Training a trial whose graph holds pretrained blocks: frozen ones train on cached features (the
 * head alone), then, with fine_tune_layers, the whole graph trains again with the top layers of each
 * backbone unfrozen at a tenth of the learning rate, starting from the trained head (Keras's
 * transfer-learning recipe). The model returned is always the full export graph, backbone included.
 */
import type { Resolution } from '../graph/resolve';
import { exportGraph, trainTrial } from '../search/train';
import type { TrainHooks, TrainJob, TrainResult } from '../search/training/job';
import { TrialStopped } from '../search/training/errors';
import { disposeModel } from '../search/training/dispose';
import { isBetter } from '../search/trial';
import { cacheableBlocks, featureView } from './features';

/** Keras's fine-tuning guide lowers the rate 10-100x so the pretrained weights move little. */
export const FINE_TUNE_LR_FACTOR = 0.1;

/** cacheDir: where features are cached (the project's features/); without it backbones run every epoch. */
export async function trainWithPretrained(job: TrainJob, hooks: TrainHooks = {}, cacheDir?: string): Promise<TrainResult> {
  const blocks = job.plan.blocks.filter((b) => b.spec.type === 'pretrained');
  if (blocks.length === 0) return trainTrial(job, hooks);
  const fineTune = blocks.some((b) => !job.resolution.blocks[b.name].trainable && job.resolution.blocks[b.name].fine_tune_layers > 0);
  const frozen = frozenResolution(job.resolution);
  // The head's phase takes the first half of the epochs, at least one; fine-tuning the rest, at least one.
  const headEpochs = fineTune ? Math.max(1, Math.ceil(job.epochs / 2)) : job.epochs;
  const head = await trainHead({ ...job, resolution: frozen, epochs: headEpochs }, hooks, cacheDir);
  if (!fineTune) return head;
  return fineTuneAfter(job, head, Math.max(1, job.epochs - head.history.length), hooks);
}

/** Every pretrained block frozen (its fine-tuning comes later). */
function frozenResolution(r: Resolution): Resolution {
  const blocks = Object.fromEntries(Object.entries(r.blocks).map(([k, p]) => [k, 'fine_tune_layers' in p && !p.trainable ? { ...p, fine_tune_layers: 0 } : p]));
  return { ...r, blocks };
}

/** Trains on cached features where it can; the result is the full graph either way. */
async function trainHead(job: TrainJob, hooks: TrainHooks, cacheDir?: string): Promise<TrainResult> {
  const cached = cacheDir !== undefined ? cacheableBlocks(job.plan, job.resolution) : [];
  if (cached.length === 0) return trainTrial(job, hooks);
  const view = await featureView(job.plan, job.data, cached, cacheDir!);
  // The full export graph: the head's trained weights, the backbone's saved ones.
  const full = (r: TrainResult): TrainResult => {
    const model = exportGraph(job, r.model);
    disposeModel(r.model);
    return { ...r, model, params: model.countParams() };
  };
  try {
    return full(await trainTrial({ ...job, plan: view.plan, data: view.data }, hooks));
  } catch (err) {
    if (err instanceof TrialStopped && err.partial) throw new TrialStopped(err.message, full(err.partial));
    throw err;
  }
}

/** The second phase; the better of the two phases is kept (a refit keeps the last). */
async function fineTuneAfter(job: TrainJob, head: TrainResult, epochs: number, hooks: TrainHooks): Promise<TrainResult> {
  const offset = head.history.length;
  const shifted: TrainHooks = {
    ...hooks,
    onBatch: hooks.onBatch && ((e, b, n) => hooks.onBatch!(e + offset, b, n)),
    onEpoch: hooks.onEpoch && ((e, logs) => hooks.onEpoch!(e + offset, logs)),
  };
  const resolution = { ...job.resolution, learningRate: job.resolution.learningRate * FINE_TUNE_LR_FACTOR };
  let tuned: TrainResult;
  try {
    tuned = await trainTrial({ ...job, resolution, epochs, initialWeights: head.model }, shifted);
  } catch (err) {
    if (err instanceof TrialStopped) throw new TrialStopped(err.message, err.partial ? merge(job, head, err.partial) : head);
    disposeModel(head.model);
    throw err;
  }
  return merge(job, head, tuned);
}

function merge(job: TrainJob, head: TrainResult, tuned: TrainResult): TrainResult {
  const history = [...head.history, ...tuned.history];
  const keepTuned = job.keepLast || isBetter(tuned.score, head.score, job.spec.search.objective.direction);
  disposeModel(keepTuned ? head.model : tuned.model);
  return keepTuned ? { ...tuned, history, bestEpoch: head.history.length + tuned.bestEpoch } : { ...head, history };
}
