/**
 * A regression head in units of 10^6 beside a classification head, end to end: both learn (each
 * beats its trivial baseline on held-out rows), errors are in the target's units in the leaderboard,
 * the test scores and the exported model read by plain tfjs, and refit is kept only when it scores
 * at least as well as the trial on the validation rows it held back.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../engine/backend';
import { registerCustomLayers } from '../blocks/registry';
import { loadSpecText } from '../spec/validate';
import { SpecError } from '../spec/errors';
import { prepareData } from '../data/prepare';
import { inProcessExecutor } from './executors';
import { runSearch } from './run';
import { paths } from './project';
import { exportBest } from '../export/export';
import { loadModelDir } from '../export/artifacts';
import { loadPredictor } from '../export/predictor';
import { makeRng } from '../util/rng';
import type { RefitRecord } from './types';

function writeRows(file: string, n: number, seed: number): Array<{ x1: number; x2: number; price: number; label: string }> {
  const rng = makeRng(seed);
  const rows = Array.from({ length: n }, () => {
    const x1 = rng.normal(), x2 = rng.normal();
    return { x1, x2, price: Math.round(1e6 * (5 + 2 * x1 + 0.1 * rng.normal())), label: x2 > 0.3 * x1 ? 'yes' : 'no' };
  });
  fs.writeFileSync(file, 'x1,x2,price,label\n' + rows.map((r) => `${r.x1},${r.x2},${r.price},${r.label}`).join('\n') + '\n');
  return rows;
}

const SPEC = `name: balance
seed: 3
data: {source: train.csv, test: test.csv}
inputs:
  nums: {type: structured, columns: [x1, x2]}
heads:
  price: {type: regression, column: price}
  label: {type: classification, column: label}
loss_weights: [1.0, 1.0]
search: {max_trials: 1, epochs: 12, batch_size: 16, objective: val_loss}
`;

test('units of 10^6 and a class head both learn; the exported model predicts in the original units', async () => {
  await initEngine('wasm');
  registerCustomLayers();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'automm-balance-'));
  const train = writeRows(path.join(dir, 'train.csv'), 240, 1);
  const testRows = writeRows(path.join(dir, 'test.csv'), 60, 2);
  const spec = loadSpecText(SPEC, path.join(dir, 'spec.yaml'));
  assert.deepEqual(spec.loss_weights, { price: 1, label: 1 }, 'the list form maps onto heads in written order');
  const data = await prepareData(spec);
  const project = path.join(dir, 'runs', 'balance');
  const board = await runSearch(spec, data, inProcessExecutor(spec, data, project, tf.getBackend()), { project });

  // Trivial baselines on the same held-out rows: the training mean, the majority class.
  const mean = train.reduce((a, r) => a + r.price, 0) / train.length;
  const trivialMae = testRows.reduce((a, r) => a + Math.abs(r.price - mean), 0) / testRows.length;
  const majority = Math.max(...['yes', 'no'].map((c) => testRows.filter((r) => r.label === c).length)) / testRows.length;
  const t = board.test!;
  assert.ok(t.test_price_mae < 0.4 * trivialMae, `price MAE ${t.test_price_mae} vs the mean's ${trivialMae}`);
  assert.ok(t.test_label_accuracy > majority + 0.15, `label accuracy ${t.test_label_accuracy} vs the majority's ${majority}`);
  for (const k of ['test_label_precision', 'test_label_recall', 'test_label_f1', 'test_label_auc', 'test_price_rmse', 'test_price_r2']) assert.ok(Number.isFinite(t[k]), k);
  assert.ok(t.test_price_r2 > 0.8, `R² ${t.test_price_r2}`);

  // The leaderboard: errors in millions, the loss on the standardised scale.
  const v = board.trials[0].validation;
  assert.ok(v.val_price_mae > 1e4 && v.val_price_mae < 1e6, `val_price_mae ${v.val_price_mae} is in the target's units`);
  assert.ok(v.val_price_loss < 1, `val_price_loss ${v.val_price_loss} is on the standardised scale`);

  // Exported: plain tfjs outputs original units; the predictor reports the same numbers.
  const out = path.join(dir, 'export');
  await exportBest(project, out);
  const model = await loadModelDir(out);
  const batch = await data.test!.batch(Int32Array.from(testRows.keys()));
  const [price] = [model.predict(model.inputNames.map((n) => batch.xs[n]))].flat() as tf.Tensor[];
  const predicted = Array.from(price.dataSync());
  const mae = predicted.reduce((a, p, i) => a + Math.abs(p - testRows[i].price), 0) / testRows.length;
  assert.ok(Math.abs(mae - t.test_price_mae) <= 1e-3 * t.test_price_mae, `plain tfjs MAE ${mae} = the test score ${t.test_price_mae}`);
  tf.dispose([price, ...Object.values(batch.xs), ...Object.values(batch.ys)]);
  model.dispose();
  const predictor = await loadPredictor(out);
  const [first] = await predictor.predict([{ x1: testRows[0].x1, x2: testRows[0].x2 }]);
  assert.ok(Math.abs((first.price as { value: number }).value - predicted[0]) <= 1e-6 * Math.abs(predicted[0]), 'loadPredictor: the same value');
  predictor.dispose();

  // Refit: compared with the trial on held-back validation rows; best/ holds whichever won.
  const refit = JSON.parse(fs.readFileSync(paths(project).trialJson('refit'), 'utf8')) as RefitRecord;
  assert.equal(refit.status, 'completed');
  assert.equal(refit.heldBack!.metric, 'val_loss');
  assert.equal(refit.kept, refit.heldBack!.refit <= refit.heldBack!.trial);
  const weights = (d: string) => fs.readFileSync(path.join(d, 'weights.bin'));
  const source = refit.kept ? paths(project).trialModel('refit') : paths(project).trialModel(board.best!);
  assert.ok(weights(paths(project).best).equals(weights(source)), `best/ holds the ${refit.kept ? 'refit' : 'trial'} model`);
});

test('objectives may name any whole-set score; loss_weights lists must have one weight per head', () => {
  const spec = (extra: string) => loadSpecText(SPEC.replace('search: {', `${extra}\nsearch: {`).replace('loss_weights: [1.0, 1.0]\n', ''), '/tmp/spec.yaml');
  for (const metric of ['val_label_f1', 'val_label_auc', 'val_price_r2', 'val_price_rmse']) {
    const s = loadSpecText(SPEC.replace('objective: val_loss', `objective: ${metric}`), '/tmp/spec.yaml');
    assert.equal(s.search.objective.direction, /r2|f1|auc/.test(metric) ? 'max' : 'min', metric);
  }
  assert.throws(() => loadSpecText(SPEC.replace('objective: val_loss', 'objective: val_label_f2'), '/tmp/spec.yaml'), (e: unknown) => e instanceof SpecError && /unknown metric "val_label_f2"/.test(e.message));
  assert.throws(() => spec('loss_weights: [0.25, 1.0, 10.0]'), (e: unknown) => e instanceof SpecError && /one per head, in the order heads are written \(price, label\); got 3 for 2/.test(e.message));
  assert.deepEqual(spec('loss_weights: [0.25, 10]').loss_weights, { price: 0.25, label: 10 });
});
