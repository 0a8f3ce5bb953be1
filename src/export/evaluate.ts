/**
 * Whole-set evaluation of a model on labelled rows: every head's scores (heads/scores.ts), its
 * confusion matrix, the ROC curve of a binary head, and predicted-vs-actual pairs of a regression
 * head. `automm evaluate` prints these; the report draws them for data.test.
 */
import * as path from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ProblemLog, DataError } from '../data/errors';
import { openTable } from '../data/read-table';
import { labelledSplit } from '../data/rows';
import type { DataSplit, HeadInfo } from '../data/source';
import { classNamesOf } from '../heads/data/classes';
import { classificationMode } from '../heads/head-scores';
import { ClassificationMode, ClassificationScores, RegressionScores, classificationScores, regressionScores, rocCurve } from '../heads/scores';
import { loadModelWithPreprocessing } from './predict';
import { predictSplit } from '../search/training/evaluate';

/** Predicted-vs-actual points kept per regression head: enough for a scatter plot, bounded in size. */
const MAX_POINTS = 2000;
/** Rows per model call. */
const BATCH_ROWS = 256;

export type HeadEvaluation =
  | { head: string; type: 'classification'; mode: ClassificationMode; classNames: string[]; rows: number; scores: ClassificationScores; roc?: { fpr: number[]; tpr: number[] } }
  | { head: string; type: 'regression'; rows: number; scores: RegressionScores; points: { actual: number[]; predicted: number[] } };

/** Runs the model over a whole split and scores each head. */
export async function evaluateSplit(model: tfl.LayersModel, split: DataSplit, heads: Record<string, HeadInfo>): Promise<HeadEvaluation[]> {
  const names = model.outputNames;
  const { yTrue, yPred } = await predictSplit(model, split, names.map((name) => ({ name })), BATCH_ROWS);
  return names.map((name, h) => scoreHead(name, heads[name], yTrue[h], yPred[h], split.rows));
}

function scoreHead(name: string, info: HeadInfo, yTrue: Float32Array, yPred: Float32Array, rows: number): HeadEvaluation {
  const width = yTrue.length / rows;
  if (info.type === 'regression') {
    const step = Math.max(1, Math.ceil(rows / MAX_POINTS));
    const pick = (v: Float32Array) => Array.from({ length: Math.ceil(rows / step) }, (_, i) => v[i * step * width]);
    return { head: name, type: 'regression', rows, scores: regressionScores(yTrue, yPred, width), points: { actual: pick(yTrue), predicted: pick(yPred) } };
  }
  const mode = classificationMode(info);
  const classNames = classNamesOf(info, width);
  const scores = classificationScores(yTrue, yPred, width, mode);
  return { head: name, type: 'classification', mode, classNames, rows, scores, ...(mode === 'binary' ? { roc: rocCurve(yTrue, yPred) } : {}) };
}

/** `automm evaluate`: a saved model (export or best/) on a labelled table file. */
export async function evaluateFile(modelDir: string, file: string): Promise<HeadEvaluation[]> {
  const { model, preprocessing } = await loadModelWithPreprocessing(modelDir);
  try {
    const log = new ProblemLog('nothing was evaluated');
    const table = await openTable(path.resolve(file), log);
    log.throwIfAny();
    const split = await labelledSplit(preprocessing, table!);
    if (split.rows === 0) throw new DataError(`${file}: no rows to evaluate`);
    return await evaluateSplit(model, split, preprocessing.heads);
  } finally {
    model.dispose();
  }
}
