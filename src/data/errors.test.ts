/** Bad data is refused before training, with every problem listed where it is. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError, PROBLEM_LIMIT } from './errors';
import { prepareData } from './prepare';
import { displayPath } from './read-table';
import type { Spec } from '../spec/types';
import { range, scratch, tableSpec, tinyImage, write } from './testing';

async function refusal(spec: Spec): Promise<DataError> {
  try {
    await prepareData(spec);
  } catch (err) {
    assert.ok(err instanceof DataError, String(err));
    return err;
  }
  assert.fail('expected a DataError');
}

/** A table of `n` rows: an image path, a price, a city and a label per row; images exist. */
async function shop(n = 12): Promise<{ dir: string; rows: string[][]; header: string[] }> {
  const dir = scratch();
  await tinyImage(path.join(dir, 'images', 'ok.png'), [10, 200, 10]);
  const rows = range(n).map((i) => ['images/ok.png', String(10 + i * 1.5), ['Paris', 'Lyon'][i % 2], ['cat', 'dog'][i % 2]]);
  return { dir, rows, header: ['photo_path', 'price', 'home city', 'label'] };
}

const csv = (header: string[], rows: string[][]) => [header, ...rows].map((r) => r.join(',')).join('\n') + '\n';

const shopSpec = (dir: string, data: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  tableSpec(dir, {
    data: { source: 'train.csv', ...data },
    inputs: {
      photo: { type: 'image', column: 'photo_path', shape: [4, 4, 3] },
      attrs: { type: 'structured', columns: ['price', 'home city'], ...extra },
    },
    heads: { label: { type: 'classification', column: 'label' } },
  });

test('missing columns: each one named, with where it was asked for and a did-you-mean', async () => {
  const { dir, rows } = await shop();
  write(dir, 'train.csv', csv(['photo path', 'price', 'home city', 'labels'], rows));
  const err = await refusal(shopSpec(dir));
  const file = displayPath(path.join(dir, 'train.csv'));
  assert.equal(err.message, [
    `${file}: column "photo_path": not found (named by inputs.photo.column); known: photo path, price, home city, labels (did you mean "photo path"?)`,
    `${file}: column "label": not found (named by heads.label.column); known: photo path, price, home city, labels (did you mean "labels"?)`,
    '2 data problems; nothing was trained.',
  ].join('\n'));
  assert.equal(err.problems.length, 2);
});

test('missing and unreadable images, non-numbers, missing classes and short rows: all listed at once, by line', async () => {
  const { dir, rows, header } = await shop(30);
  write(dir, 'images/notes.png', 'just text');
  fs.writeFileSync(path.join(dir, 'images', 'broken.png'), fs.readFileSync(path.join(dir, 'images', 'ok.png')).subarray(0, 40));
  rows[1][0] = 'images/x.jpg';
  rows[2][0] = 'images/notes.png';
  rows[3][0] = 'images/broken.png';
  rows[15][1] = 'n/a?';
  rows[16][1] = '12,5';
  rows[20][3] = '';
  rows[22] = rows[22].slice(0, 3);
  write(dir, 'train.csv', csv(header, rows).replace('12,5', '"12,5"'));
  const err = await refusal(shopSpec(dir));
  const f = displayPath(path.join(dir, 'train.csv'));
  const lines = err.message.split('\n');
  assert.deepEqual(lines.slice(0, 3), [
    `${f}:3: column "photo_path": file images/x.jpg not found`,
    `${f}:4: column "photo_path": file images/notes.png is not a PNG, JPEG, WebP or GIF image`,
    `${f}:22: column "label": missing class`,
  ]);
  assert.equal(lines[3], `${f}:24: the row has 3 fields, the header has 4`);
  assert.match(lines[4], new RegExp(`^${f}:5: column "photo_path": file images/broken.png cannot be decoded as an image: `));
  assert.equal(lines[5], `${f}:17: column "price" as numerical: 2 values are not numbers (lines 17, 18: "n/a?", "12,5"); set column_types: {"price": categorical} if they are categories`);
  assert.equal(lines[6], '6 data problems; nothing was trained. Fix the data, or set data.on_bad_row: skip to leave bad rows out.');
});

test('column_types: numerical on a column of words reports its values as not numbers', async () => {
  const { dir, rows, header } = await shop();
  write(dir, 'train.csv', csv(header, rows));
  const err = await refusal(shopSpec(dir, {}, { column_types: { 'home city': 'numerical' } }));
  assert.match(err.message, /train\.csv:2: column "home city" as numerical: 12 values are not numbers \(lines 2, 3, 4, 5, 6, \.\.\.: "Paris", "Lyon", "Paris"\)/);
});

test('a class seen only in validation rows, from a validation file or from the split', async () => {
  const { dir, rows, header } = await shop();
  write(dir, 'train.csv', csv(header, rows));
  write(dir, 'valid.csv', csv(header, [rows[0], [...rows[1].slice(0, 3), 'bird']]));
  const err = await refusal(shopSpec(dir, { validation: 'valid.csv' }));
  assert.equal(err.problems[0].message, 'class "bird" appears only in validation rows; the training rows have cat, dog');
  assert.equal(err.problems[0].where, `${displayPath(path.join(dir, 'valid.csv'))}:3`);

  // One bird among 12 rows: wherever the seed puts it, it is refused (in validation) or learned (in training).
  write(dir, 'train.csv', csv(header, [...rows, [...rows[0].slice(0, 3), 'bird']]));
  for (const seed of [0, 1, 2, 3, 4, 5]) {
    const spec = { ...shopSpec(dir), seed };
    try {
      const data = await prepareData(spec);
      assert.deepEqual(data.heads.label.classNames, ['bird', 'cat', 'dog']);
    } catch (err) {
      assert.match((err as Error).message, /class "bird" appears only in validation rows/);
    }
  }
});

test('the test file is checked against what training learned: unknown classes, non-numbers, missing columns', async () => {
  const { dir, rows, header } = await shop();
  write(dir, 'train.csv', csv(header, rows));
  write(dir, 'test.csv', csv(header, [[...rows[0].slice(0, 3), 'fox'], ['images/ok.png', 'cheap', 'Nice', 'cat']]));
  const err = await refusal(shopSpec(dir, { test: 'test.csv' }));
  assert.deepEqual(err.problems.map((p) => p.message), [
    'as numerical: 1 value is not a number (line 3: "cheap"); set column_types: {"price": categorical} if they are categories',
    'class "fox" appears only in test rows; the training rows have cat, dog',
  ]);
  write(dir, 'test.csv', csv(['photo_path', 'home city', 'label'], [['images/ok.png', 'Nice', 'cat']]));
  assert.match((await refusal(shopSpec(dir, { test: 'test.csv' }))).message, /test\.csv: column "price": not found/);
});

test('empty tables: no file content, a header alone, or no usable rows', async () => {
  const { dir, rows, header } = await shop();
  write(dir, 'train.csv', '');
  assert.match((await refusal(shopSpec(dir))).message, /train\.csv: the table is empty \(no header line\)/);
  write(dir, 'train.csv', csv(header, []));
  assert.match((await refusal(shopSpec(dir))).message, /train\.csv: the table has no rows/);
  write(dir, 'train.csv', csv(header, rows.map((r) => [r[0], r[1], r[2], ''])));
  const err = await refusal(shopSpec(dir, { on_bad_row: 'skip' }));
  assert.match(err.message, /0 usable rows: too few to hold out validation rows/);
});

test('a training class column with one class, and classes the head contradicts', async () => {
  const { dir, rows, header } = await shop();
  write(dir, 'train.csv', csv(header, rows.map((r) => [...r.slice(0, 3), 'cat'])));
  assert.match((await refusal(shopSpec(dir))).message, /column "label": \(heads\.label\) has one class only \("cat"\) in the training rows/);
});

test('more problems than the limit: the first 20 shown, the rest counted', async () => {
  const { dir, rows, header } = await shop(50);
  write(dir, 'train.csv', csv(header, rows.map((r, i) => (i % 4 < 2 ? [`images/missing${i}.png`, ...r.slice(1)] : r))));
  const err = await refusal(shopSpec(dir));
  const lines = err.message.split('\n');
  assert.equal(lines.length, PROBLEM_LIMIT + 2);
  assert.equal(lines[PROBLEM_LIMIT], '... and 6 more');
  assert.equal(err.total, 26);
  assert.equal(err.problems.length, 26);
  assert.match(lines[PROBLEM_LIMIT + 1], /^26 data problems/);
});

test('spec problems with tables: rest twice, a target used as a feature, column_types of another column', async () => {
  const { dir, rows, header } = await shop();
  write(dir, 'train.csv', csv(header, rows));
  const spec = tableSpec(dir, {
    data: { source: 'train.csv' },
    inputs: {
      a: { type: 'structured', columns: 'rest' },
      b: { type: 'structured', columns: 'rest' },
      c: { type: 'structured', columns: ['price', 'label'], column_types: { prise: 'numerical' } },
    },
    heads: { label: { type: 'classification' } },
  });
  const messages = (await refusal(spec)).problems.map((p) => p.message);
  assert.ok(messages.some((m) => /only one structured input may take columns: rest/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /is the target of heads\.label and cannot also be a feature of inputs\.c/.test(m)));
  assert.ok(messages.some((m) => /inputs\.c\.column_types names a column the input does not read; known: price, label \(did you mean "price"\?\)/.test(m)));
});

test('image folders: a missing folder, an empty class folder, inputs a folder cannot feed', async () => {
  const dir = scratch();
  const folderSpec = (inputs: Spec['inputs']) => tableSpec(dir, { data: { source: { images: 'pics' } }, inputs, heads: { kind: { type: 'classification' } } });
  assert.match((await refusal(folderSpec({ img: { type: 'image', shape: [4, 4, 3] } }))).message, /pics: folder not found/);
  await tinyImage(path.join(dir, 'pics', 'cat', 'a.png'), [1, 2, 3]);
  fs.mkdirSync(path.join(dir, 'pics', 'dog'));
  assert.match((await refusal(folderSpec({ img: { type: 'image', shape: [4, 4, 3] } }))).message, /pics\/dog: class folder holds no images/);
  const err = await refusal(folderSpec({ img: { type: 'image', shape: [4, 4, 3] }, txt: { type: 'text', max_tokens: 10, sequence_length: 4 } }));
  assert.match(err.message, /inputs\.txt: an image folder holds images and their classes only/);
});
