/**
 * The three examples end to end, as a user runs them: search (2 trials, 1 epoch), export,
 * load the export with plain tfjs (no automm classes registered), predict.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { automm, scratch, spec, ROOT } from './helpers';
import { loadPredictor } from '../src/export/predictor';

interface Example {
  file: string;
  name: string;
  heads: Record<string, number>;
  inputs: Record<string, number[]>;
  /** Raw rows for loadPredictor (paths relative to the repository root), where the example has files to read. */
  rows?: Array<Record<string, string>>;
}

const EXAMPLES: Example[] = [
  { file: 'shop-basic.yaml', name: 'shop-basic', heads: { price: 1, label: 5 }, inputs: { photo: [32, 32, 3], attrs: [20] } },
  { file: 'shop-advanced.yaml', name: 'shop', heads: { price: 1, label: 5 }, inputs: { photo: [32, 32, 3], attrs: [20] } },
  { file: 'posts-multitask.yaml', name: 'posts', heads: { age: 1, income: 10, gender: 1 }, inputs: { posts: [64] } },
  { file: 'headline-aux.yaml', name: 'headline', heads: { main_output: 1, aux_output: 1 }, inputs: { headline: [100], aux_input: [5] } },
  // A pretrained backbone (fixtures/backbones/tiny) with a new head: the export holds the backbone's layers.
  { file: 'pretrained-shapes.yaml', name: 'pretrained-shapes', heads: { shape: 3 }, inputs: { image: [24, 24, 3] }, rows: [{ image: 'fixtures/shapes/test/circle/circle_1.png' }, { image: 'fixtures/shapes/test/square/square_1.png' }] },
];

/** What plain @tensorflow/tfjs does with model.json + weights: no automm code involved. */
async function loadPlain(dir: string): Promise<tfl.LayersModel> {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const bytes = fs.readFileSync(path.join(dir, json.weightsManifest[0].paths[0]));
  return tfl.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }),
  );
}

for (const ex of EXAMPLES) {
  test(`example ${ex.file}: search, export, plain-tfjs load, predict`, async () => {
    await tf.setBackend('cpu');
    const out = scratch();
    const search = automm(['search', spec(ex.file), '--max-trials', '2', '--epochs', '1', '--workers', '1', '--out', out]);
    assert.equal(search.code, 0, search.stderr);
    const project = path.join(out, ex.name);
    const board = JSON.parse(fs.readFileSync(path.join(project, 'leaderboard.json'), 'utf8'));
    assert.equal(board.trials.length, 2);
    assert.ok(board.trials.every((t: { status: string }) => t.status === 'completed'), JSON.stringify(board.trials.map((t: { message?: string }) => t.message)));
    assert.ok(board.best);

    const exported = path.join(out, 'export');
    const exp = automm(['export', '--best', '--project', project, '--out', exported]);
    assert.equal(exp.code, 0, exp.stderr);
    for (const f of ['automm-predictor.js', 'index.html']) assert.ok(fs.existsSync(path.join(exported, f)), `export writes ${f}`);
    const model = await loadPlain(exported);
    assert.deepEqual([...model.outputNames].sort(), Object.keys(ex.heads).sort());
    const inputs = model.inputNames.map((n) => (ex.inputs[n].length === 1 && n !== 'attrs' && n !== 'aux_input' ? tf.zeros([3, ...ex.inputs[n]], 'int32') : tf.zeros([3, ...ex.inputs[n]])));
    const outputs = [model.predict(inputs.length === 1 ? inputs[0] : inputs)].flat() as tf.Tensor[];
    model.outputNames.forEach((name, i) => assert.deepEqual(outputs[i].shape, [3, ex.heads[name]], name));
    tf.dispose([...inputs, ...outputs]);
    model.dispose();

    const csv = path.join(out, 'preds.csv');
    const pred = automm(['predict', '--model', exported, '--data', 'random', '--rows', '4', '--out', csv]);
    assert.equal(pred.code, 0, pred.stderr);
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
    assert.equal(lines.length, 5);
    for (const head of Object.keys(ex.heads)) assert.ok(lines[0].split(',').includes(head), `${head} column in ${lines[0]}`);

    if (!ex.rows) return;
    const predictor = await loadPredictor(exported);
    const predicted = await predictor.predict(ex.rows, { baseDir: ROOT });
    predictor.dispose();
    assert.equal(predicted.length, ex.rows.length);
    for (const row of predicted) for (const head of Object.keys(ex.heads)) assert.ok(head in row, `${head} in ${JSON.stringify(row)}`);
  });
}

test('summary prints the leaderboard, the best hyperparameters and the layers', () => {
  const out = scratch();
  assert.equal(automm(['search', spec('shop-basic.yaml'), '--max-trials', '2', '--epochs', '1', '--workers', '1', '--out', out]).code, 0);
  const summary = automm(['summary', '--project', path.join(out, 'shop-basic')]);
  assert.equal(summary.code, 0, summary.stderr);
  assert.match(summary.stdout, /trial_000/);
  assert.match(summary.stdout, /best trial trial_00\d hyperparameters \(\* differs between trials\):/);
  assert.match(summary.stdout, /photo_block\/block_type = /);
  assert.match(summary.stdout, /Total params: /);
  const json = JSON.parse(automm(['summary', '--project', path.join(out, 'shop-basic'), '--json']).stdout);
  assert.equal(json.leaderboard.trials.length, 2);
});

test('a second search into the same project is refused without --overwrite', () => {
  const out = scratch();
  const args = ['search', spec('posts-multitask.yaml'), '--max-trials', '1', '--epochs', '1', '--workers', '1', '--out', out];
  assert.equal(automm(args).code, 0);
  const again = automm(args);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /--overwrite/);
  assert.equal(automm([...args, '--overwrite']).code, 0);
});

test('table data end to end: search with data.test, then predict raw rows from a CSV with images and text', () => {
  const out = scratch();
  const search = automm(['search', spec('table-pets.yaml'), '--workers', '1', '--out', out]);
  assert.equal(search.code, 0, search.stderr);
  const board = JSON.parse(fs.readFileSync(path.join(out, 'table-pets', 'leaderboard.json'), 'utf8'));
  assert.ok(Number.isFinite(board.test.test_label_accuracy), JSON.stringify(board.test));
  assert.match(search.stdout, /^test: test_label_loss /m);
  const csv = path.join(out, 'preds.csv');
  const pred = automm(['predict', '--model', path.join(out, 'table-pets', 'best'), '--data', path.join('fixtures', 'pets', 'new.csv'), '--out', csv]);
  assert.equal(pred.code, 0, pred.stderr);
  const [header, ...rows] = fs.readFileSync(csv, 'utf8').trim().split('\n');
  assert.match(header, /label/);
  assert.match(header, /fee/);
  assert.ok(rows.length > 0);
});
