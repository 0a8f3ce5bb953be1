/** prepareData on real-format files: the fixtures, and small tables written here. */
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { prepareData } from './prepare';
import type { PreparedData } from './source';
import { FIXTURES, range, read, scratch, tableSpec, tinyImage, write } from './testing';

before(async () => {
  await tf.setBackend('cpu');
});

const petsSpec = (data: Record<string, unknown> = {}, seed = 1) =>
  tableSpec(FIXTURES, {
    seed,
    data: { source: 'pets/train.csv', test: 'pets/test.csv', stratify: 'label', ...data },
    inputs: {
      photo: { type: 'image', column: 'photo_path', shape: [8, 8, 3] },
      review: { type: 'text', column: 'review', max_tokens: 50, sequence_length: 10 },
      attrs: { type: 'structured', columns: ['age (years)', 'weight kg', 'home city', 'vaccinated'] },
    },
    heads: { label: { type: 'classification', column: 'label' }, fee: { type: 'regression', column: 'adoption fee' } },
  });

/** Every validation row's class, from its one-hot target. */
async function classesOf(data: PreparedData, split: 'train' | 'validation'): Promise<string[]> {
  const { ys } = read(await data[split].batch(range(data[split].rows)));
  const names = data.heads.label.classNames!;
  return range(data[split].rows).map((r) => names[ys.label.slice(r * 3, r * 3 + 3).indexOf(1)]);
}

test('a CSV with image paths, text, numbers with gaps and categories: shapes, infos and targets', async () => {
  const data = await prepareData(petsSpec());
  assert.deepEqual([data.train.rows, data.validation.rows, data.test?.rows], [36, 12, 12]);
  assert.deepEqual(data.inputs.photo, { ...data.inputs.photo, type: 'image', shape: [8, 8, 3], dtype: 'float32' });
  assert.equal(data.inputs.photo.stats!.mean.length, 3);
  assert.deepEqual(data.inputs.review.shape, [10]);
  assert.equal(data.inputs.review.dtype, 'int32');
  assert.ok(data.inputs.review.vocabSize! > 10 && data.inputs.review.vocabSize! <= 50);
  // age: numerical + missing flag (2), weight: numerical (1), 5 cities + OOV (6), yes/no + OOV (3).
  assert.deepEqual(data.inputs.attrs.shape, [12]);
  assert.equal(data.inputs.attrs.stats!.mean.length, 12);
  assert.deepEqual(data.heads.label, { name: 'label', type: 'classification', classes: 3, classNames: ['cat', 'dog', 'rabbit'], multiLabel: false });
  const { scaling, ...fee } = data.heads.fee;
  assert.deepEqual(fee, { name: 'fee', type: 'regression', units: 1 });
  assert.equal(scaling?.transform, 'standard', 'regression targets are standardised with the training rows\' statistics');
  const types = data.preprocessing.table!.columnTypes;
  assert.deepEqual(Object.fromEntries(Object.entries(types).map(([c, t]) => [c, t.type])), { 'age (years)': 'numerical', 'weight kg': 'numerical', 'home city': 'categorical', vaccinated: 'categorical' });

  const before = tf.memory().numTensors;
  const batch = await data.train.batch([0, 5, 7]);
  assert.deepEqual(batch.xs.photo.shape, [3, 8, 8, 3]);
  assert.deepEqual(batch.xs.review.shape, [3, 10]);
  assert.deepEqual(batch.ys.label.shape, [3, 3]);
  assert.deepEqual(batch.ys.fee.shape, [3, 1]);
  const { xs } = read(batch);
  assert.equal(tf.memory().numTensors, before);
  assert.ok(xs.photo.every((v) => v >= 0 && v <= 1));
  // Standardised numerical columns of the training rows average 0.
  assert.ok(Math.abs(data.inputs.attrs.stats!.mean[0]) < 1e-6);
});

test('validation_split: seeded, stratified by class, the same split for the same seed', async () => {
  const a = await prepareData(petsSpec());
  const counts = (names: string[]) => names.reduce((m, n) => ({ ...m, [n]: (m[n] ?? 0) + 1 }), {} as Record<string, number>);
  assert.deepEqual(counts(await classesOf(a, 'validation')), { cat: 4, dog: 4, rabbit: 4 });
  const b = await prepareData(petsSpec());
  assert.deepEqual(read(await a.validation.batch(range(12))).ys, read(await b.validation.batch(range(12))).ys);
  const c = await prepareData(petsSpec({}, 99));
  assert.notDeepEqual(read(await a.validation.batch(range(12))).xs.attrs, read(await c.validation.batch(range(12))).xs.attrs);
});

test('data.validation: a separate file is the validation split; training learns from the source only', async () => {
  const data = await prepareData(petsSpec({ validation: 'pets/test.csv', test: undefined, stratify: undefined }));
  assert.deepEqual([data.train.rows, data.validation.rows, data.test], [48, 12, undefined]);
  assert.equal(data.preprocessing.rows!.train, 48);
});

test('JSON Lines with columns: rest, column_types and a multi-label head', async () => {
  const data = await prepareData(tableSpec(FIXTURES, {
    data: { source: 'reviews/reviews.jsonl' },
    inputs: { text: { type: 'text', column: 'text' }, meta: { type: 'structured', columns: 'rest', column_types: { stars: 'categorical' } } },
    heads: { sentiment: { type: 'classification', column: 'sentiment' }, tags: { type: 'classification', column: 'tags', multi_label: true } },
  }));
  const features = (data.preprocessing.inputs.meta as unknown as { features: Array<{ column: string; kind: string }> }).features;
  assert.deepEqual(features.map((f) => [f.column, f.kind]), [['stars', 'categorical'], ['verified', 'categorical'], ['helpful votes', 'numerical']]);
  assert.deepEqual(data.heads.tags.classNames, ['cheap', 'fast', 'gift', 'sturdy']);
  assert.equal(data.heads.tags.multiLabel, true);
  assert.deepEqual(data.heads.sentiment.classNames, ['negative', 'positive']);
  const { ys } = read(await data.train.batch([0, 1]));
  assert.equal(ys.sentiment.length, 2);
  assert.equal(ys.tags.length, 8);
});

test('an image folder: one subfolder per class feeds the one image input and classification head', async () => {
  const spec = tableSpec(FIXTURES, {
    data: { source: { images: 'shapes/train' }, test: 'shapes/test', stratify: 'shape' },
    inputs: { picture: { type: 'image', shape: [12, 12, 1] } },
    heads: { shape: { type: 'classification' } },
  });
  const data = await prepareData(spec);
  assert.deepEqual([data.train.rows, data.validation.rows, data.test?.rows], [27, 9, 9]);
  assert.deepEqual(data.heads.shape.classNames, ['circle', 'square', 'triangle']);
  assert.equal(data.preprocessing.source, 'image-folder');
  const { xs, ys } = read(await data.test!.batch(range(9)));
  assert.equal(xs.picture.length, 9 * 12 * 12);
  assert.deepEqual(ys.shape.slice(0, 3), [1, 0, 0]);
  // A validation folder laid out the same way.
  const separate = await prepareData({ ...spec, data: { ...spec.data, validation: 'shapes/test', test: undefined, stratify: undefined } });
  assert.deepEqual([separate.train.rows, separate.validation.rows], [36, 9]);
});

test('the example specs load and prepare', async () => {
  const { loadSpec } = await import('../spec/validate');
  for (const [file, rows] of [['table-pets.yaml', [36, 12, 12]], ['table-reviews.yaml', [48, 12, undefined]], ['images-folder.yaml', [27, 9, 9]]] as const) {
    const data = await prepareData(loadSpec(path.join(FIXTURES, '..', 'specs', file)));
    assert.deepEqual([data.train.rows, data.validation.rows, data.test?.rows], rows, file);
  }
});

test('TSV and JSON arrays; punctuation in column names; image paths relative to the table; integer classes', async () => {
  const dir = scratch();
  for (const [i, c] of [[0, [250, 0, 0]], [1, [0, 0, 250]]] as const) await tinyImage(path.join(dir, 'img', `${i}.png`), [...c] as [number, number, number]);
  const rows = range(12).map((i) => ({ 'pic/path': `img/${i % 2}.png`, 'size (cm)': 10 + i, grade: i % 3 === 0 ? 10 : i % 3 === 1 ? 2 : 1 }));
  write(dir, 'data/t.json', JSON.stringify(rows.map((r) => ({ ...r, 'pic/path': `../${r['pic/path']}` }))));
  write(dir, 't.tsv', ['pic/path\tsize (cm)\tgrade', ...rows.map((r) => `${r['pic/path']}\t${r['size (cm)']}\t${r.grade}`)].join('\n'));
  for (const source of ['t.tsv', 'data/t.json']) {
    const data = await prepareData(tableSpec(dir, {
      data: { source },
      inputs: { pic: { type: 'image', column: 'pic/path', shape: [2, 2, 3] }, size: { type: 'structured', columns: ['size (cm)'] } },
      heads: { grade: { type: 'classification' } },
    }));
    assert.deepEqual(data.heads.grade.classNames, ['1', '2', '10'], source);
    assert.equal(data.train.rows + data.validation.rows, 12);
  }
});

test('on_bad_row: skip leaves bad rows out, counts them and says so', async () => {
  const dir = scratch();
  const lines = range(20).map((i) => `${i === 3 ? 'oops' : i * 1.5},${i % 2 ? 'a' : 'b'}`);
  lines[7] = '1,';
  write(dir, 't.csv', ['x,y', ...lines, '5'].join('\n'));
  const data = await prepareData(tableSpec(dir, {
    data: { source: 't.csv', on_bad_row: 'skip' },
    inputs: { x: { type: 'structured', columns: ['x'] } },
    heads: { y: { type: 'classification' } },
  }));
  assert.equal(data.train.rows + data.validation.rows, 18);
  assert.equal(data.preprocessing.rows!.skipped, 3);
  assert.match(data.notes![0], /left out 3 bad rows/);
});
