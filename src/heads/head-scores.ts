/**
 * One head's whole-set scores under the names training logs use (`val_<head>_<score>`,
 * `test_<head>_<score>`), from targets in original units and predictions in original units.
 */
import type { HeadInfo } from '../data/source';
import { classificationOutput } from './classification-output';
import { ClassificationMode, Values, classificationScores, regressionScores } from './scores';

/** Every score a classification head reports; auc for binary and multi-label heads only. */
export const CLASSIFICATION_SCORES = ['accuracy', 'precision', 'recall', 'f1', 'auc'] as const;
export const REGRESSION_SCORES = ['mae', 'mse', 'rmse', 'r2'] as const;

export function classificationMode(info: HeadInfo): ClassificationMode {
  if (info.multiLabel) return 'multi_label';
  return classificationOutput(info).activation === 'sigmoid' ? 'binary' : 'softmax';
}

export function headScores(info: HeadInfo, yTrue: Values, yPred: Values, width: number): Record<string, number> {
  if (info.type === 'regression') {
    const s = regressionScores(yTrue, yPred, width);
    return { mae: s.mae, mse: s.mse, rmse: s.rmse, r2: s.r2 };
  }
  const s = classificationScores(yTrue, yPred, width, classificationMode(info));
  const out: Record<string, number> = { accuracy: s.accuracy, precision: s.precision, recall: s.recall, f1: s.f1 };
  if (s.auc !== undefined) out.auc = s.auc;
  return out;
}
