/**
 * Whole-set scores of one head, computed in plain JS from targets and predictions laid out as the
 * model reads and writes them (row-major, `width` values a row). Unlike the per-batch metrics in
 * metrics.ts these are exact for ratios over the whole set (precision, recall, F1, AUC, R²), so
 * they serve epoch-end validation scores, test scores and `evaluate` alike.
 *
 * Layouts follow classificationOutput: two exclusive classes -> width 1, a 0/1 target and the
 * sigmoid probability of the second class; more -> one-hot targets and softmax probabilities;
 * multi-label -> multi-hot targets and a sigmoid per class.
 */
import { argmax } from './data/classes';

export type Values = ArrayLike<number>;
export type ClassificationMode = 'binary' | 'softmax' | 'multi_label';

export interface ClassificationScores {
  accuracy: number;
  /** Unweighted means over classes (macro); a class never predicted has precision 0 (sklearn's zero_division=0). */
  precision: number;
  recall: number;
  f1: number;
  /** Mean cross-entropy per example (multi-label: per label), probabilities clipped to [1e-7, 1 - 1e-7] as Keras does. */
  log_loss: number;
  /** Binary and multi-label (macro over labels) only; NaN where a label has a single class in the targets. */
  auc?: number;
  /** confusion[actual][predicted]; multi-label: one 2x2 matrix per label, [[tn, fp], [fn, tp]]. */
  confusion: number[][] | number[][][];
}

export interface RegressionScores {
  mae: number;
  mse: number;
  rmse: number;
  /** 1 - SSE/SST per output, averaged over outputs; NaN for an output whose targets are all equal. */
  r2: number;
}

const EPS = 1e-7;
const clip = (p: number): number => Math.min(1 - EPS, Math.max(EPS, p));

function rowsOf(values: Values, width: number): number {
  if (width < 1 || values.length % width !== 0) throw new RangeError(`${values.length} values do not split into rows of ${width}`);
  return values.length / width;
}

function checkSameLength(yTrue: Values, yPred: Values): void {
  if (yTrue.length !== yPred.length) throw new RangeError(`targets have ${yTrue.length} values, predictions ${yPred.length}`);
}

/** Macro precision, recall and F1 from a square confusion matrix [actual][predicted]. */
function macroFromConfusion(confusion: number[][]): { precision: number; recall: number; f1: number } {
  const n = confusion.length;
  let p = 0, r = 0, f = 0;
  for (let k = 0; k < n; k++) {
    const tp = confusion[k][k];
    const predicted = confusion.reduce((s, row) => s + row[k], 0);
    const actual = confusion[k].reduce((s, v) => s + v, 0);
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = actual > 0 ? tp / actual : 0;
    p += precision;
    r += recall;
    f += precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  }
  return { precision: p / n, recall: r / n, f1: f / n };
}

/**
 * The area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting half (Mann-Whitney U with mid-ranks). NaN without both classes.
 */
export function rocAuc(labels: Values, scores: Values): number {
  checkSameLength(labels, scores);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0, rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[order[k]] > 0.5) { positives++; rankSum += midRank; }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** The ROC curve's points (false positive rate, true positive rate), from (0,0) to (1,1). */
export function rocCurve(labels: Values, scores: Values): { fpr: number[]; tpr: number[] } {
  checkSameLength(labels, scores);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const positives = order.filter((i) => labels[i] > 0.5).length;
  const negatives = order.length - positives;
  const fpr = [0], tpr = [0];
  let tp = 0, fp = 0;
  for (let i = 0; i < order.length; i++) {
    if (labels[order[i]] > 0.5) tp++; else fp++;
    const tiedNext = i + 1 < order.length && scores[order[i + 1]] === scores[order[i]];
    if (!tiedNext) {
      fpr.push(negatives ? fp / negatives : 0);
      tpr.push(positives ? tp / positives : 0);
    }
  }
  return { fpr, tpr };
}

function binaryScores(yTrue: Values, yPred: Values): ClassificationScores {
  const confusion = [[0, 0], [0, 0]];
  let logLoss = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const actual = yTrue[i] > 0.5 ? 1 : 0;
    confusion[actual][yPred[i] > 0.5 ? 1 : 0]++;
    const p = clip(yPred[i]);
    logLoss -= actual ? Math.log(p) : Math.log(1 - p);
  }
  const n = yTrue.length;
  return { accuracy: (confusion[0][0] + confusion[1][1]) / n, ...macroFromConfusion(confusion), log_loss: logLoss / n, auc: rocAuc(yTrue, yPred), confusion };
}

function softmaxScores(yTrue: Values, yPred: Values, width: number): ClassificationScores {
  const rows = rowsOf(yTrue, width);
  const confusion = Array.from({ length: width }, () => new Array<number>(width).fill(0));
  let correct = 0, logLoss = 0;
  for (let r = 0; r < rows; r++) {
    const actual = argmax(yTrue, r * width, width);
    const predicted = argmax(yPred, r * width, width);
    confusion[actual][predicted]++;
    if (actual === predicted) correct++;
    logLoss -= Math.log(clip(yPred[r * width + actual]));
  }
  return { accuracy: correct / rows, ...macroFromConfusion(confusion), log_loss: logLoss / rows, confusion };
}

/** Each label scored as its own binary problem; the figures are means over labels. */
function multiLabelScores(yTrue: Values, yPred: Values, width: number): ClassificationScores {
  const rows = rowsOf(yTrue, width);
  const perLabel = Array.from({ length: width }, (_, k) => {
    const t = Array.from({ length: rows }, (_, r) => yTrue[r * width + k]);
    const p = Array.from({ length: rows }, (_, r) => yPred[r * width + k]);
    return binaryScores(t, p);
  });
  const mean = (key: 'accuracy' | 'log_loss' | 'auc'): number => perLabel.reduce((s, x) => s + (x[key] as number), 0) / width;
  // Macro over labels of the positive class's precision/recall/F1 (sklearn's average='macro' for multi-label).
  const positive = perLabel.map((x) => {
    const [[, fp], [fn, tp]] = x.confusion as number[][];
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
    return { precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
  });
  const macro = (key: 'precision' | 'recall' | 'f1'): number => positive.reduce((s, x) => s + x[key], 0) / width;
  return {
    accuracy: mean('accuracy'), precision: macro('precision'), recall: macro('recall'), f1: macro('f1'),
    log_loss: mean('log_loss'), auc: mean('auc'), confusion: perLabel.map((x) => x.confusion as number[][]),
  };
}

/** Every classification score of one head over a whole set. */
export function classificationScores(yTrue: Values, yPred: Values, width: number, mode: ClassificationMode): ClassificationScores {
  checkSameLength(yTrue, yPred);
  rowsOf(yTrue, width);
  if (yTrue.length === 0) throw new RangeError('no rows to score');
  if (mode === 'binary') {
    if (width !== 1) throw new RangeError(`a binary head has one output, not ${width}`);
    return binaryScores(yTrue, yPred);
  }
  return mode === 'softmax' ? softmaxScores(yTrue, yPred, width) : multiLabelScores(yTrue, yPred, width);
}

/** Every regression score of one head over a whole set, in whatever units the values are given. */
export function regressionScores(yTrue: Values, yPred: Values, width: number): RegressionScores {
  checkSameLength(yTrue, yPred);
  const rows = rowsOf(yTrue, width);
  if (rows === 0) throw new RangeError('no rows to score');
  let absSum = 0, sqSum = 0, r2Sum = 0;
  for (let k = 0; k < width; k++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += yTrue[r * width + k];
    mean /= rows;
    let sse = 0, sst = 0;
    for (let r = 0; r < rows; r++) {
      const t = yTrue[r * width + k], d = yPred[r * width + k] - t;
      absSum += Math.abs(d);
      sse += d * d;
      sst += (t - mean) * (t - mean);
    }
    sqSum += sse;
    r2Sum += sst > 0 ? 1 - sse / sst : NaN;
  }
  const n = rows * width;
  return { mae: absSum / n, mse: sqSum / n, rmse: Math.sqrt(sqSum / n), r2: r2Sum / width };
}
