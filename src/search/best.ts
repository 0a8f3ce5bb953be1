/**
 * After the search: best/ gets the best trial's model, or (search.refit, the default) the best
 * configuration retrained on training + validation rows for its best epoch count, as AutoKeras does,
 * when it scores at least as well as the trial on the validation rows it held back.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Spec } from '../spec/types';
import type { DataSplit, PreparedData } from '../data/source';
import { planGraph } from '../graph/plan';
import { resolveTrial } from '../graph/resolve';
import { loadModelDir } from '../export/artifacts';
import { replayPicker } from './hp';
import { headsOf } from './training/compile';
import { evaluate } from './training/evaluate';
import { replaceDirAtomic, writeJsonAtomic } from '../util/atomic';
import { bestTrial } from './rank';
import { paths } from './project';
import type { Executor, RefitRecord, Reporter } from './types';
import { isBetter, type Trial } from './trial';
import { refitSplits } from '../data/splits';
import { FILE } from '../util/file-names';

export const REFIT_ID = 'refit';
/** The refit's index in progress events: no trial has it. */
export const REFIT_INDEX = -1;

export async function finishBest(spec: Spec, data: PreparedData, project: string, trials: Trial[], executor: Executor, reporter: Reporter, deadline?: number): Promise<Record<string, number> | undefined> {
  const best = bestTrial(trials.filter(Boolean), spec.search.objective);
  if (!best) return undefined;
  const p = paths(project);
  const refit = spec.search.refit ? await runRefit(spec, data, project, best, executor, reporter, deadline) : undefined;
  const source = refit?.status === 'completed' && refit.kept !== false ? REFIT_ID : best.id;
  const test = data.test ? await evaluateOnTest(spec, data, p.trialModel(source), best) : undefined;
  await replaceDirAtomic(p.best, async (dir) => {
    fs.cpSync(p.trialModel(source), dir, { recursive: true });
    // The trial as writeTrial saved it, from memory: the same JSON without reading it back.
    writeJsonAtomic(path.join(dir, FILE.trial), { ...best, refit, test });
    // From memory, like trial.json: what this run trained with, not whatever the files say now.
    writeJsonAtomic(path.join(dir, FILE.preprocessing), data.preprocessing);
    fs.copyFileSync(p.spec, path.join(dir, FILE.spec));
  });
  return test;
}

/** data.test, scored once on the final model (after refit): every head's loss and scores, prefixed test_. */
function evaluateOnTest(spec: Spec, data: PreparedData, modelDir: string, best: Trial): Promise<Record<string, number>> {
  return evaluateSaved(spec, data, modelDir, best, data.test!, 'test_');
}

/** A saved model (original units) scored on a split. */
async function evaluateSaved(spec: Spec, data: PreparedData, modelDir: string, best: Trial, split: DataSplit, prefix: string): Promise<Record<string, number>> {
  const plan = planGraph(spec);
  const { lossWeights } = resolveTrial(spec, plan, replayPicker(best.values));
  const model = await loadModelDir(modelDir);
  try {
    return await evaluate(model, split, headsOf(plan, data, lossWeights), spec.search.batch_size, prefix, 'exported');
  } finally {
    model.dispose();
  }
}

/** The refit obeys the search's time limit too; cut short, best/ keeps the trial's own model. */
async function runRefit(spec: Spec, data: PreparedData, project: string, best: Trial, executor: Executor, reporter: Reporter, deadline?: number): Promise<RefitRecord> {
  const epochs = (best.bestEpoch ?? 0) + 1;
  reporter.refitStarted?.({ trial: best.id, epochs });
  const outcome = await executor.run({ id: REFIT_ID, index: REFIT_INDEX, seed: best.seed, values: best.values, epochs, refit: true, deadline }, { batch: reporter.batch, epoch: reporter.epoch });
  const record: RefitRecord = { trial: best.id, epochs, status: outcome.status, logs: outcome.history.at(-1), history: outcome.history, message: outcome.message };
  if (record.status === 'completed') Object.assign(record, await compareOnHeldBack(spec, data, project, best, record.logs ?? {}));
  writeJsonAtomic(paths(project).trialJson(REFIT_ID), record);
  reporter.refitEnded?.(record);
  return record;
}

/**
 * The refit against the trial's own model on the validation rows the refit held back (refitSplits):
 * kept unless it scores worse there. Without rows to hold back (or a validation objective) it is kept.
 */
async function compareOnHeldBack(spec: Spec, data: PreparedData, project: string, best: Trial, logs: Record<string, number>): Promise<Pick<RefitRecord, 'heldBack' | 'kept' | 'message'>> {
  const { metric, direction } = spec.search.objective;
  const heldBack = refitSplits(data.train, data.validation).validation;
  if (data.validation.rows < 2 || !metric.startsWith('val_') || logs[metric] === undefined) return { kept: true };
  const trial = (await evaluateSaved(spec, data, paths(project).trialModel(best.id), best, heldBack, 'val_'))[metric];
  const refit = logs[metric];
  const kept = !isBetter(trial, refit, direction);
  const message = kept ? undefined : `the refit scored ${metric} ${refit.toPrecision(4)} on held-back validation rows, the trial ${trial.toPrecision(4)}; best/ holds the trial's model`;
  return { heldBack: { metric, refit, trial }, kept, message };
}
