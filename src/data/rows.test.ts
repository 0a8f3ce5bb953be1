/** Rows read after training: a model trained on random data refuses them; labelled rows encode as the pipeline's. */
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { DataError, ProblemLog } from './errors';
import { labelledSplit, rowEncoder } from './rows';
import { rawRowEncoder } from './raw-rows';
import { openTable } from './read-table';
import { prepareData } from './prepare';
import type { Preprocessing } from './source';
import { FIXTURES, range, read, scratch, tableSpec, write } from './testing';

before(async () => {
  await tf.setBackend('cpu');
});

test('rows for a model trained on random data: one DataError, one message, wherever they are read', async () => {
  const random = { source: 'random', inputs: { x: { name: 'x', type: 'structured', shape: [3] } }, heads: {} } as unknown as Preprocessing;
  const refusals = [
    () => rowEncoder(random),
    () => labelledSplit(random, {} as never),
    () => rawRowEncoder(random, async () => new Uint8Array(0)),
  ];
  for (const read of refusals) {
    await assert.rejects(async () => read(), (e: unknown) => e instanceof DataError && e.message === 'this model was trained on random data, so it has no columns to read rows with; only `automm predict --data random` runs it');
  }
});

const petsSpec = () =>
  tableSpec(FIXTURES, {
    seed: 1,
    data: { source: 'pets/train.csv', test: 'pets/test.csv', stratify: 'label' },
    inputs: {
      photo: { type: 'image', column: 'photo_path', shape: [8, 8, 3] },
      review: { type: 'text', column: 'review', max_tokens: 50, sequence_length: 10 },
      attrs: { type: 'structured', columns: ['age (years)', 'weight kg', 'home city', 'vaccinated'] },
    },
    heads: { label: { type: 'classification', column: 'label' }, fee: { type: 'regression', column: 'adoption fee' } },
  });

const open = async (file: string) => (await openTable(file, new ProblemLog()))!;

test('labelledSplit (automm evaluate) encodes a labelled file as the pipeline encodes data.test', async () => {
  const data = await prepareData(petsSpec());
  const split = await labelledSplit(data.preprocessing, await open(path.join(FIXTURES, 'pets', 'test.csv')));
  assert.equal(split.rows, data.test!.rows);
  assert.deepEqual(read(await split.batch(range(split.rows))), read(await data.test!.batch(range(data.test!.rows))));
});

test('labelledSplit reports every bad row of the file in file order, then nothing is evaluated', async () => {
  const data = await prepareData(petsSpec());
  const dir = scratch();
  const lines = fs.readFileSync(path.join(FIXTURES, 'pets', 'test.csv'), 'utf8').trim().split('\n');
  lines[2] = lines[2].replace(/,dog,/, ',hamster,');
  lines[4] = 'too,few';
  lines[6] = lines[6].replace(/,(cat|dog|rabbit),/, ',,');
  const file = write(dir, 'bad.csv', lines.join('\n') + '\n');
  await assert.rejects(labelledSplit(data.preprocessing, await open(file)), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.message.replaceAll(dir + path.sep, ''), EXPECTED_BAD);
    return true;
  });
  const missing = write(dir, 'missing.csv', lines[0].replace('label', 'labels') + '\n' + lines[1] + '\n');
  await assert.rejects(labelledSplit(data.preprocessing, await open(missing)), /missing\.csv: column "label": not found \(named by heads\.label\.column\)/);
});

const EXPECTED_BAD = [
  'bad.csv:3: column "label": class "hamster" appears only in the evaluated rows; the training rows have cat, dog, rabbit',
  'bad.csv:5: the row has 2 fields, the header has 9',
  'bad.csv:7: column "label": missing class',
  '3 data problems; nothing was evaluated.',
].join('\n');
