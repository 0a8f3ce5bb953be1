import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classificationScores, regressionScores, rocAuc, rocCurve } from './scores';

const near = (a: number, b: number, what = '') => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

// Reference figures worked by hand; they agree with sklearn's accuracy_score, precision_recall_fscore_support
// (average='macro', zero_division=0), log_loss and roc_auc_score on the same arrays.
test('binary: accuracy, macro precision/recall/F1, log loss, AUC and the confusion matrix', () => {
  const s = classificationScores([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 1, 'binary');
  near(s.accuracy, 0.75, 'accuracy');
  near(s.precision, (2 / 3 + 1) / 2, 'precision');
  near(s.recall, (1 + 0.5) / 2, 'recall');
  near(s.f1, (0.8 + 2 / 3) / 2, 'f1');
  near(s.log_loss, -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4, 'log loss');
  near(s.auc!, 0.75, 'auc');
  assert.deepEqual(s.confusion, [[2, 0], [1, 1]]);
});

test('softmax: argmax decides; a class never predicted has precision 0', () => {
  const yTrue = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1];
  const yPred = [0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.2, 0.2, 0.6, 0.3, 0.4, 0.3];
  const s = classificationScores(yTrue, yPred, 3, 'softmax');
  assert.deepEqual(s.confusion, [[1, 0, 0], [0, 0, 1], [0, 1, 1]]);
  near(s.accuracy, 0.5, 'accuracy');
  near(s.precision, (1 + 0 + 0.5) / 3, 'precision');
  near(s.recall, (1 + 0 + 0.5) / 3, 'recall');
  near(s.f1, (1 + 0 + 0.5) / 3, 'f1');
  near(s.log_loss, -(Math.log(0.7) + Math.log(0.3) + Math.log(0.6) + Math.log(0.3)) / 4, 'log loss');
  assert.equal(s.auc, undefined, 'AUC is for binary and multi-label heads');
});

test('multi-label: each label scored alone, then averaged', () => {
  // Label 0 is perfectly ranked and thresholded; label 1 is inverted.
  const s = classificationScores([1, 0, 0, 1], [0.9, 0.6, 0.1, 0.4], 2, 'multi_label');
  near(s.auc!, (1 + 0) / 2, 'auc');
  near(s.accuracy, (1 + 0) / 2, 'accuracy');
  near(s.recall, (1 + 0) / 2, 'recall of the positive class');
  assert.deepEqual(s.confusion, [[[1, 0], [0, 1]], [[0, 1], [1, 0]]]);
});

test('AUC: ties count half; one class only is NaN; the ROC curve runs from (0,0) to (1,1)', () => {
  near(rocAuc([0, 1], [0.5, 0.5]), 0.5);
  near(rocAuc([0, 1, 1, 0], [0.1, 0.9, 0.9, 0.9]), (1 + 0.5 + 1 + 0.5) / 4);
  assert.ok(Number.isNaN(rocAuc([1, 1], [0.2, 0.3])));
  const curve = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
  assert.deepEqual(curve.fpr, [0, 0, 0.5, 0.5, 1]);
  assert.deepEqual(curve.tpr, [0, 0.5, 0.5, 1, 1]);
});

test('regression: MAE, MSE, RMSE and R² per output, averaged', () => {
  const s = regressionScores([1, 2, 3, 4], [1, 2, 3, 5], 1);
  near(s.mae, 0.25);
  near(s.mse, 0.25);
  near(s.rmse, 0.5);
  near(s.r2, 1 - 1 / 5);
  // Two outputs: the second predicts its mean exactly, so its R² is 0.
  const two = regressionScores([1, 10, 3, 20], [1, 15, 3, 15], 2);
  near(two.r2, (1 + 0) / 2);
  assert.ok(Number.isNaN(regressionScores([2, 2], [1, 3], 1).r2), 'constant targets have no R²');
});

test('shape errors are RangeErrors that say what did not fit', () => {
  assert.throws(() => classificationScores([0, 1], [0.5], 1, 'binary'), /targets have 2 values, predictions 1/);
  assert.throws(() => regressionScores([1, 2, 3], [1, 2, 3], 2), /3 values do not split into rows of 2/);
  assert.throws(() => classificationScores([0, 1], [0.1, 0.9], 2, 'binary'), /one output, not 2/);
});
