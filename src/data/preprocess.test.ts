/**
 * Each preprocessing step: what it learns from training values, what it saves, and that the saved
 * state (through JSON) transforms values exactly as the state it came from.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { featureLearner, structuredEncoder, StructuredFeature, MAX_CATEGORIES } from './structured';
import { textEncoder, textLearner, tokenize, textVocabSize } from './text';
import { decodeImage, imageStats, ImageCache } from './image';
import { ClassificationState, targetEncoder, targetLearner, TargetState } from './targets';
import { scratch, tinyImage } from './testing';

const viaJson = <T>(v: T): T => JSON.parse(JSON.stringify(v));

function encodeStructured(features: StructuredFeature[], rows: unknown[][]): number[][] {
  const enc = structuredEncoder(features);
  return rows.map((r) => {
    const out = new Float32Array(enc.width);
    assert.equal(enc.write(r, out, 0), undefined);
    return Array.from(out);
  });
}

test('numerical: standardised with the training mean and (population) deviation; missing -> mean, flagged', () => {
  const learner = featureLearner('price', 'numerical');
  for (const v of ['1', '2', '3', '', '6']) learner.add(v);
  const f = learner.fit();
  assert.deepEqual(f, { column: 'price', kind: 'numerical', mean: 3, std: Math.sqrt(3.5), missingFlag: true });
  const rows = encodeStructured([viaJson(f)], [['3'], [''], [5], ['NA']]);
  assert.deepEqual(rows.map((r) => r.map((v) => +v.toFixed(5))), [[0, 0], [0, 1], [+(2 / Math.sqrt(3.5)).toFixed(5), 0], [0, 1]]);
  // No gaps in training: no flag column; a constant column divides by 1.
  const full = featureLearner('n', 'numerical');
  ['4', '4'].forEach((v) => full.add(v));
  assert.deepEqual(full.fit(), { column: 'n', kind: 'numerical', mean: 4, std: 1, missingFlag: false });
});

test('numerical: a value that is not a number is a problem naming the column', () => {
  const enc = structuredEncoder([{ column: 'price', kind: 'numerical', mean: 0, std: 1, missingFlag: false }]);
  assert.deepEqual(enc.write(['cheap'], new Float32Array(1), 0), { column: 'price', message: 'as numerical: "cheap" is not a number' });
});

test('categorical: most frequent first, ties by name; one-hot with slot 0 for unseen and missing values', () => {
  const learner = featureLearner('city', 'categorical');
  for (const v of ['Lyon', 'Paris', 'Paris', ' Nice ', 'Lyon', '', 'Paris']) learner.add(v);
  const f = learner.fit();
  assert.deepEqual(f, { column: 'city', kind: 'categorical', vocabulary: ['Paris', 'Lyon', 'Nice'] });
  assert.deepEqual(encodeStructured([viaJson(f)], [['Lyon'], ['Nice'], ['Berlin'], [null]]), [[0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [1, 0, 0, 0]]);
  const many = featureLearner('id', 'categorical');
  for (let i = 0; i < 500; i++) many.add(`v${i % 250}`);
  assert.equal((many.fit() as { vocabulary: string[] }).vocabulary.length, MAX_CATEGORIES);
});

test('structured: numerical and categorical columns side by side in one vector', () => {
  const features: StructuredFeature[] = [
    { column: 'a', kind: 'numerical', mean: 1, std: 2, missingFlag: true },
    { column: 'b', kind: 'categorical', vocabulary: ['x', 'y'] },
    { column: 'c', kind: 'numerical', mean: 0, std: 1, missingFlag: false },
  ];
  assert.deepEqual(encodeStructured(viaJson(features), [['3', 'y', '-1'], ['', 'z', 2]]), [[1, 0, 0, 0, 1, -1], [0, 1, 1, 0, 0, 2]]);
});

test('text: lowercase, punctuation stripped (Keras), most frequent max_tokens - 2 words, ids from 2', () => {
  assert.deepEqual(tokenize("The cat's  toy, THE best!\tReally."), ['the', 'cats', 'toy', 'the', 'best', 'really']);
  const learner = textLearner('review', 5, 4);
  for (const t of ['the cat purrs', 'the dog barks', 'The cat naps']) learner.add(t);
  const state = learner.fit();
  assert.deepEqual(state, { column: 'review', vocabulary: ['the', 'cat', 'barks'], sequenceLength: 4, standardize: 'lower_and_strip_punctuation' });
  assert.equal(textVocabSize(state), 5);
  const enc = textEncoder(viaJson(state));
  const ids = (t: unknown) => {
    const out = new Int32Array(4).fill(-1);
    enc.write(t, out, 0);
    return Array.from(out);
  };
  assert.deepEqual(ids('The cat barks!'), [2, 3, 4, 0]); // padded with 0
  assert.deepEqual(ids('the zebra cat the cat'), [2, 1, 3, 2]); // OOV is 1; cut to 4
  assert.deepEqual(ids(null), [0, 0, 0, 0]);
});

test('images: PNG, JPEG, WebP and GIF decoded, resized to the shape, grey or RGB, scaled to [0, 1]', async () => {
  const dir = scratch();
  for (const ext of ['png', 'jpg', 'webp', 'gif']) {
    const file = path.join(dir, `red.${ext}`);
    await tinyImage(file, [255, 0, 0], 10, 6);
    const rgb = await decodeImage(file, [4, 5, 3]);
    assert.equal(rgb.length, 4 * 5 * 3, ext);
    assert.ok(Math.abs(rgb[0] - 255) <= 3 && rgb[1] <= 3 && rgb[2] <= 3, `${ext}: ${rgb.slice(0, 3)}`);
    const grey = await decodeImage(file, [2, 2, 1]);
    assert.equal(grey.length, 4);
    // Red is dark grey in luminance (about 0.2126 * 255 in linear light, ~54 after sRGB).
    assert.ok(grey[0] > 30 && grey[0] < 140, `${ext} grey ${grey[0]}`);
  }
  const stats = imageStats([Uint8Array.from([255, 0, 51, 255, 0, 51])], 3);
  assert.deepEqual(stats.mean, [1, 0, 0.2]);
  assert.deepEqual(stats.variance.map((v) => +v.toFixed(12)), [0, 0, 0]);
});

test('image cache: bounded in bytes, least recently used goes first', async () => {
  const dir = scratch();
  const files = await Promise.all([0, 1, 2].map(async (i) => {
    const f = path.join(dir, `${i}.png`);
    await tinyImage(f, [i * 50, 0, 0]);
    return f;
  }));
  const cache = new ImageCache(2 * 4 * 4 * 3);
  for (const f of files) await cache.get(f, [4, 4, 3]);
  assert.equal(cache.size, 2);
});

const learnTarget = (head: Record<string, unknown>, values: unknown[]): ClassificationState => {
  const learner = targetLearner('y', { type: 'classification', ...head });
  values.forEach((v) => learner.add(v));
  const state = learner.fit();
  assert.notEqual(typeof state, 'string', String(state));
  return viaJson(state as ClassificationState);
};

const encodeTarget = (state: TargetState, values: unknown[], type: 'classification' | 'regression' = 'classification') => values.map((v) => {
  const enc = targetEncoder({ ...state, type }, 'validation');
  const out = new Float32Array(enc.width);
  const problem = enc.write(v, out, 0);
  return problem ? problem.message : Array.from(out);
});

test('classification: two classes -> one 0/1 value for the second sorted class; more -> one-hot', () => {
  const binary = learnTarget({}, ['yes', 'no', 'yes']);
  assert.deepEqual(binary, { column: 'y', classNames: ['no', 'yes'], multiLabel: false, numericLabels: false });
  assert.deepEqual(encodeTarget(binary, ['yes', 'no', ' yes ']), [[1], [0], [1]]);
  const three = learnTarget({}, ['dog', 'cat', 'rabbit', 'cat']);
  assert.deepEqual(three.classNames, ['cat', 'dog', 'rabbit']);
  assert.deepEqual(encodeTarget(three, ['rabbit', 'cat']), [[0, 0, 1], [1, 0, 0]]);
  assert.deepEqual(encodeTarget(three, ['bird', '']), ['class "bird" appears only in validation rows; the training rows have cat, dog, rabbit', 'missing class']);
});

test('classification: integer labels sort as numbers, and "1.0" is class 1', () => {
  const state = learnTarget({}, ['10', '2', 1, '2']);
  assert.deepEqual(state.classNames, ['1', '2', '10']);
  assert.deepEqual(encodeTarget(state, ['1.0', 10]), [[1, 0, 0], [0, 0, 1]]);
});

test('classification: multi-label from "a|b" cells (or arrays), multi-hot; empty is no label', () => {
  const state = learnTarget({ multi_label: true }, ['cat|outdoor', 'dog', '', 'indoor|cat', ['dog', 'outdoor']]);
  assert.deepEqual(state, { column: 'y', classNames: ['cat', 'dog', 'indoor', 'outdoor'], multiLabel: true, delimiter: '|', numericLabels: false });
  assert.deepEqual(encodeTarget(state, ['outdoor|cat', '', ['indoor']]), [[1, 0, 0, 1], [0, 0, 0, 0], [0, 0, 1, 0]]);
  assert.deepEqual(learnTarget({ multi_label: true }, ['a;b', 'b']).classNames, ['a', 'b']);
});

test('classification: one class, or a classes count the data contradicts, cannot be learned', () => {
  const fit = (head: Record<string, unknown>, values: unknown[]) => {
    const l = targetLearner('y', { type: 'classification', ...head });
    values.forEach((v) => l.add(v));
    return l.fit();
  };
  assert.match(String(fit({}, ['a', 'a'])), /one class only \("a"\)/);
  assert.match(String(fit({ classes: 3 }, ['a', 'b'])), /hold 2 classes \(a, b\), but the head says classes: 3/);
});

test('regression: the number as is; anything else is a problem', () => {
  const state: TargetState = { column: 'y', units: 1 };
  assert.deepEqual(encodeTarget(state, ['2.5', 7, '', 'x'], 'regression'), [[2.5], [7], 'missing value to predict', 'as regression target: "x" is not a number']);
});
