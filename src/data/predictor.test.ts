/**
 * Train/predict parity: a raw row goes through loadPredictor (saved preprocessing.json, reloaded)
 * to the same model inputs, and so the same predictions, as it did through prepareData.
 */
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import { saveModelDir } from '../export/artifacts';
import { modelFor, petsSpec } from '../export/testing';
import { loadPredictor } from '../export/predictor';
import { DataError } from './errors';
import { prepareData } from './prepare';
import type { PreparedData } from './source';
import { FIXTURES, range, scratch, tableSpec } from './testing';

before(async () => {
  await tf.setBackend('cpu');
});

async function saved(data: PreparedData, model: tfl.LayersModel): Promise<string> {
  const dir = path.join(scratch(), 'model');
  await saveModelDir(model, dir, { 'preprocessing.json': JSON.stringify(data.preprocessing) });
  return dir;
}

/** The trained model's outputs for the prepared rows, head by head. */
async function direct(model: tfl.LayersModel, data: PreparedData, rows: number): Promise<Record<string, number[][]>> {
  const batch = await data.test!.batch(range(rows));
  const out = [model.predict(model.inputNames.map((n) => batch.xs[n]))].flat() as tf.Tensor[];
  const result = Object.fromEntries(model.outputNames.map((n, i) => [n, out[i].arraySync() as number[][]]));
  tf.dispose([...out, ...Object.values(batch.xs), ...Object.values(batch.ys)]);
  return result;
}

const csvRows = (file: string) => parse(fs.readFileSync(file), { columns: true, bom: true }) as Array<Record<string, string>>;

test('parity on a CSV with images, text, numbers with gaps and categories: the same probabilities to the last bit', async () => {
  const data = await prepareData(petsSpec({ source: 'pets/train.csv', test: 'pets/test.csv' }, [8, 8, 3]));
  const model = modelFor(data);
  const expected = await direct(model, data, 12);
  const predictor = await loadPredictor(await saved(data, model));
  assert.deepEqual(predictor.columns, ['photo_path', 'review', 'age (years)', 'weight kg', 'home city', 'vaccinated']);

  const rows = csvRows(path.join(FIXTURES, 'pets', 'test.csv'));
  const before = tf.memory().numTensors;
  const predictions = await predictor.predict(rows, { baseDir: path.join(FIXTURES, 'pets') });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(predictions.length, 12);
  predictions.forEach((p, r) => {
    const label = p.label as { label: string; probabilities: Record<string, number> };
    assert.deepEqual(Object.keys(label.probabilities), ['cat', 'dog', 'rabbit']);
    assert.deepEqual(Object.values(label.probabilities), expected.label[r]);
    assert.equal(label.label, ['cat', 'dog', 'rabbit'][expected.label[r].indexOf(Math.max(...expected.label[r]))]);
    assert.deepEqual((p.fee as { value: number }).value, expected.fee[r][0]);
  });

  // The CLI's path: a table file, image paths relative to it.
  const table = await predictor.predictFile(path.join(FIXTURES, 'pets', 'test.csv'));
  assert.deepEqual(table.columns, ['label', 'label_prob_cat', 'label_prob_dog', 'label_prob_rabbit', 'fee']);
  assert.equal(table.rows.length, 12);
  assert.equal(table.rows[3][1], Math.round(expected.label[3][0] * 1e6) / 1e6);
  predictor.dispose();
  model.dispose();
});

test('parity on JSON Lines with a binary and a multi-label head; rows may leave unused columns out', async () => {
  const spec = tableSpec(FIXTURES, {
    data: { source: 'reviews/reviews.jsonl', test: 'reviews/reviews.jsonl' },
    inputs: { text: { type: 'text', column: 'text' }, meta: { type: 'structured', columns: ['stars', 'helpful votes', 'verified'] } },
    heads: { sentiment: { type: 'classification', column: 'sentiment' }, tags: { type: 'classification', column: 'tags', multi_label: true } },
  });
  const data = await prepareData(spec);
  const model = modelFor(data);
  const expected = await direct(model, data, 60);
  const predictor = await loadPredictor(await saved(data, model));
  const rows = fs.readFileSync(path.join(FIXTURES, 'reviews', 'reviews.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const { sentiment: _s, tags: _t, ...rest } = JSON.parse(l);
    return rest;
  });
  const predictions = await predictor.predict(rows);
  predictions.forEach((p, r) => {
    const sentiment = p.sentiment as { probabilities: Record<string, number> };
    assert.deepEqual(sentiment.probabilities, { negative: 1 - expected.sentiment[r][0], positive: expected.sentiment[r][0] });
    const tags = p.tags as { label: string; labels: string[]; probabilities: Record<string, number> };
    assert.deepEqual(Object.values(tags.probabilities), expected.tags[r]);
    assert.deepEqual(tags.labels, ['cheap', 'fast', 'gift', 'sturdy'].filter((_, k) => expected.tags[r][k] > 0.5));
    assert.equal(tags.label, tags.labels.join('|'));
  });
  predictor.dispose();
  model.dispose();
});

test('parity on an image folder: a path is all a row needs', async () => {
  const spec = tableSpec(FIXTURES, {
    data: { source: { images: 'shapes/train' }, test: 'shapes/test' },
    inputs: { picture: { type: 'image', shape: [6, 6, 1] } },
    heads: { shape: { type: 'classification' } },
  });
  const data = await prepareData(spec);
  const model = modelFor(data);
  const expected = await direct(model, data, 9);
  const predictor = await loadPredictor(await saved(data, model));
  const files = ['circle', 'square', 'triangle'].flatMap((c) => [1, 2, 3].map((i) => `${c}/${c}_${i}.${['png', 'jpg', 'webp'][i - 1]}`));
  const predictions = await predictor.predict(files.map((f) => ({ picture: f })), { baseDir: path.join(FIXTURES, 'shapes', 'test') });
  predictions.forEach((p, r) => assert.deepEqual(Object.values((p.shape as { probabilities: Record<string, number> }).probabilities), expected.shape[r]));
  predictor.dispose();
  model.dispose();
});

test('bad rows to predict: every problem listed by row, nothing predicted', async () => {
  const dir = scratch();
  fs.writeFileSync(path.join(dir, 't.csv'), 'size,color,y\n1,red,a\n2,blue,b\n3,red,a\n4,blue,b\n5,red,a\n6,blue,b\n7,red,a\n8.5,blue,b\n');
  const data = await prepareData(tableSpec(dir, { data: { source: 't.csv', test: 't.csv' }, inputs: { x: { type: 'structured', columns: ['size', 'color'] } }, heads: { y: { type: 'classification' } } }));
  const model = modelFor(data);
  const predictor = await loadPredictor(await saved(data, model));
  await assert.rejects(predictor.predict([{ size: 'big', color: 'red' }, { size: 2, color: 'green' }, { size: '', color: null }, { size: 'x', color: 'red' }]), (err: DataError) => {
    assert.equal(err.message, [
      'row 1: column "size" as numerical: "big" is not a number',
      'row 4: column "size" as numerical: "x" is not a number',
      '2 data problems; nothing was predicted.',
    ].join('\n'));
    return true;
  });
  await assert.rejects(predictor.predict([{ sise: 3, color: 'red' }]), /rows: column "size": not found \(named by inputs\.x\.columns\); known: sise, color \(did you mean "sise"\?\)/);
  await assert.rejects(loadPredictor(dir), /no model\.json there/);
  predictor.dispose();
  model.dispose();
});
