import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { headScores } from './head-scores';

test('a head\'s whole-set scores under their log names: AUC for binary heads only, R² for regression', () => {
  const binary = headScores({ name: 'y', type: 'classification', classes: 2 }, [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 1);
  assert.deepEqual(Object.keys(binary), ['accuracy', 'precision', 'recall', 'f1', 'auc']);
  assert.equal(binary.auc, 0.75);
  const softmax = headScores({ name: 'y', type: 'classification', classes: 3 }, [1, 0, 0, 0, 1, 0], [0.6, 0.3, 0.1, 0.2, 0.2, 0.6], 3);
  assert.deepEqual(Object.keys(softmax), ['accuracy', 'precision', 'recall', 'f1']);
  assert.equal(softmax.accuracy, 0.5);
  const regression = headScores({ name: 'p', type: 'regression', units: 1 }, [1e6, 2e6, 3e6, 4e6], [1e6, 2e6, 3e6, 5e6], 1);
  assert.deepEqual(regression, { mae: 0.25e6, mse: 0.25e12, rmse: 0.5e6, r2: 0.8 });
});
