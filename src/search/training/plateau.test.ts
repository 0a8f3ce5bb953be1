import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { plateauOn } from './plateau';

test('plateauOn: the objective goes its own way, another metric the way its name says', () => {
  // An objective on accuracy said to be minimised: the plateau follows the objective, not the name.
  const objective = plateauOn(undefined, { metric: 'val_acc', direction: 'min' });
  assert.equal(objective.monitor, 'val_acc');
  assert.deepEqual([{ val_acc: 0.5 }, { val_acc: 0.4 }, { val_acc: 0.6 }].map((l) => objective.update(l)), [true, true, false]);
  const accuracy = plateauOn('val_kind_accuracy', { metric: 'val_loss', direction: 'min' });
  assert.deepEqual([{ val_kind_accuracy: 0.5 }, { val_kind_accuracy: 0.6 }, { val_kind_accuracy: 0.55 }].map((l) => accuracy.update(l)), [true, true, false]);
  assert.equal(accuracy.waited, 1);
});

test('a plateau counts epochs that improve by no more than minDelta, or do not log the metric', () => {
  const p = plateauOn('val_loss', { metric: 'val_loss', direction: 'min' }, 0.1);
  assert.equal(p.update({ val_loss: 1 }), true);
  assert.equal(p.update({ val_loss: 0.95 }), false);
  assert.equal(p.update({ loss: 0.1 }), false);
  assert.equal(p.waited, 2);
  assert.equal(p.update({ val_loss: 0.8 }), true);
  assert.equal(p.waited, 0);
});
