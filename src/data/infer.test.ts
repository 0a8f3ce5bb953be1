import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ColumnProfile, inferType } from './infer';
import { isMissing, parseNumber } from './values';

const profile = (values: unknown[]) => {
  const p = new ColumnProfile('c');
  values.forEach((v, i) => p.add(v, i, i + 2));
  return p;
};
const typeOf = (values: unknown[]) => inferType(profile(values)).type;

test('missing values: empty, pandas spellings and JSON null; not zero or "none of these"', () => {
  for (const v of ['', ' ', 'NA', 'n/a', 'NaN', 'null', 'None', '#N/A', ' <NA>', '-nan ', null, undefined, NaN]) assert.equal(isMissing(v), true, String(v));
  for (const v of ['0', 0, '12.5', '1e3', ' 7', 'none of these', 'nan-ny', false]) assert.equal(isMissing(v), false, String(v));
});

test('numbers are plain decimals: "1e3" and " 3.5 " are, "0x1F", "1,5" and "12abc" are not', () => {
  assert.equal(parseNumber('1e3'), 1000);
  assert.equal(parseNumber(' 3.5 '), 3.5);
  assert.equal(parseNumber('-.5'), -0.5);
  assert.equal(parseNumber(7), 7);
  for (const v of ['0x1F', '1,5', '12abc', 'Infinity', true, Infinity]) assert.ok(Number.isNaN(parseNumber(v)), String(v));
});

test('numbers with many distinct values are numerical; strings are categorical', () => {
  assert.equal(typeOf(Array.from({ length: 50 }, (_, i) => String(i * 1.7))), 'numerical');
  assert.equal(typeOf(Array.from({ length: 50 }, (_, i) => i * 3)), 'numerical');
  assert.equal(typeOf(['Paris', 'Lyon', 'Paris', 'Nice']), 'categorical');
  assert.equal(typeOf(['yes', 'no', 'yes']), 'categorical');
});

test('a few consecutive integers are codes (Ludwig): ratings 1-5 and 0/1 flags are categorical', () => {
  assert.equal(typeOf(Array.from({ length: 40 }, (_, i) => String(1 + (i % 5)))), 'categorical');
  assert.equal(typeOf(Array.from({ length: 40 }, (_, i) => i % 2)), 'categorical');
  // Not consecutive, or too many distinct values for the rows, or fractions: numerical.
  assert.equal(typeOf(Array.from({ length: 40 }, (_, i) => [10, 20, 50][i % 3])), 'numerical');
  assert.equal(typeOf(Array.from({ length: 40 }, (_, i) => 1 + (i % 14))), 'numerical');
  assert.equal(typeOf([1, 2, 3, 4]), 'numerical');
  assert.equal(typeOf(Array.from({ length: 40 }, (_, i) => 0.5 * (i % 3))), 'numerical');
});

test('a column of numbers with a few typos is numerical, and the typos are known by row', () => {
  const values: unknown[] = Array.from({ length: 100 }, (_, i) => String(i * 2.5));
  values[17] = 'n/a?';
  values[40] = '12,5';
  const p = profile(values);
  assert.equal(inferType(p).type, 'numerical');
  assert.deepEqual(Array.from(p.nonNumberRows()), [17, 40]);
  assert.deepEqual(p.shown.map((s) => s.line), [19, 42]);
  // Half text: categorical.
  assert.equal(typeOf(Array.from({ length: 100 }, (_, i) => (i % 2 ? 'x' + i : String(i)))), 'categorical');
});

test('missing values do not count against either type', () => {
  assert.equal(typeOf(['1.5', '', '2.5', 'NA', '7.25', null, '9.5', '11.5', '3.75', '4.5', '8.5', '0.5', '6.5']), 'numerical');
  const p = profile(['', null]);
  assert.equal(p.values, 0);
  assert.equal(p.missing, 2);
});
