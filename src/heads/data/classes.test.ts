/** The one reading of class names and predicted classes that decoding, scores, evaluate and the report share. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { argmax, classNamesOf, predictedClass } from './classes';
import { classificationData } from './classification';

test('argmax: the first of equal largest values, within the row asked for', () => {
  assert.equal(argmax([0.2, 0.5, 0.5]), 1);
  assert.equal(argmax([9, 0, 1, 3, 3], 1, 3), 2);
});

test('class names: the learned ones, else one per class as numbers (one sigmoid: two)', () => {
  assert.deepEqual(classNamesOf({ name: 'y', type: 'classification', classes: 2, classNames: ['no', 'yes'] }, 1), ['no', 'yes']);
  assert.deepEqual(classNamesOf({ name: 'y', type: 'classification', classes: 3 }, 3), ['0', '1', '2']);
  assert.deepEqual(classNamesOf({ name: 'y', type: 'classification' }, 1), ['0', '1']);
  assert.deepEqual(classNamesOf({ name: 'y', type: 'classification', multiLabel: true }, 1), ['0']);
});

test('the predicted class agrees with what decoding names', () => {
  const binary = { name: 'y', type: 'classification' as const, classes: 2, classNames: ['no', 'yes'] };
  for (const v of [0.2, 0.5, 0.7]) assert.equal(binary.classNames[predictedClass([v], 0, 1)], (classificationData.decode(binary, [v]) as { label: string }).label);
  const three = { name: 'y', type: 'classification' as const, classes: 3, classNames: ['a', 'b', 'c'] };
  const rows = [0.1, 0.6, 0.3, 0.5, 0.2, 0.3];
  for (const r of [0, 1]) assert.equal(three.classNames[predictedClass(rows, r, 3)], (classificationData.decode(three, rows.slice(r * 3, r * 3 + 3)) as { label: string }).label);
});
