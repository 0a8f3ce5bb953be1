/**
 * The time-series input, the proof that an input type is one module plus one table line: its cells,
 * its encoding, a table through the data pipeline, the spec and basic mode, and a search whose
 * export predicts from CSV cells, JSON arrays and the server's (and browser's) row encoder alike.
 */
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { search, loadPredictor } from '../api';
import { prepareData } from '../data/prepare';
import { rawRowEncoder } from '../data/raw-rows';
import { DataError } from '../data/errors';
import { range, read, scratch, tableSpec, write } from '../data/testing';
import { exportBest } from '../export/export';
import { buildApp } from '../serve/app';
import { loadServedModel } from '../serve/model';
import { planGraph } from '../graph/plan';
import { SpecError } from '../spec/errors';
import { loadSpecText } from '../spec/validate';
import type { SavedInput } from './input';
import { parseSequence, timeseries, type TimeseriesState } from './timeseries';

before(async () => {
  await tf.setBackend('cpu');
});

test('cells: spaces, semicolons, commas and brackets in text; JSON arrays; a word is reported by its place', () => {
  for (const cell of ['1 2.5 -3', '1;2.5;-3', ' 1; 2.5 ;-3 ', '[1, 2.5, -3]', [1, 2.5, -3], ['1', '2.5', '-3']]) assert.deepEqual(parseSequence(cell), [1, 2.5, -3], JSON.stringify(cell));
  assert.equal(parseSequence(''), undefined);
  assert.equal(parseSequence(null), undefined);
  assert.deepEqual(parseSequence('[]'), []);
  assert.deepEqual(timeseries.check!(['1 x 3', null], ['a', 'b'], { type: 'timeseries', length: 3 }), [
    { column: 'a', message: 'as time series: value 2 ("x") is not a number' },
    { column: 'b', message: 'missing sequence' },
  ]);
});

test('encoding: aligned at the end (cut and padded at the start), standardised per channel, channels interleaved', () => {
  const saved: SavedInput<TimeseriesState> = { name: 'ts', type: 'timeseries', shape: [4, 2], dtype: 'float32', columns: ['a', 'b'], length: 4, mean: [1, 10], std: [2, 5], pad: 'start', cut: 'start' };
  const writer = timeseries.writer!(saved);
  assert.equal(writer.width, 8);
  const out = new Float32Array(8);
  assert.equal(writer.write(['1 2 3 4 5', '20;30'], out, 0), undefined);
  // a keeps its last 4 values (2 3 4 5); b's two values sit at the end, padding (0 = the mean) before them.
  assert.deepEqual(Array.from(out), [0.5, 0, 1, 0, 1.5, 2, 2, 4]);
  assert.deepEqual(writer.write(['1 2', 'oops'], new Float32Array(8), 0), { column: 'b', message: 'as time series: value 1 ("oops") is not a number' });
});

function sensorRows(n: number): string {
  const lines = ['temp,load,level'];
  for (let r = 0; r < n; r++) {
    const temp = range(3 + (r % 6)).map((t) => (r + t) % 7).join(' ');
    const load = range(4).map((t) => 100 + 10 * ((r * t) % 5)).join(';');
    lines.push(`${temp},${load},${(r % 7) / 2}`);
  }
  return lines.join('\n') + '\n';
}

test('a table: statistics per channel from the training rows only; bad cells listed by line', async () => {
  const dir = scratch();
  write(dir, 'train.csv', sensorRows(24));
  write(dir, 'valid.csv', sensorRows(8).replace(/\n100;/, '\n100;999999;'));
  const spec = tableSpec(dir, {
    data: { source: 'train.csv', validation: 'valid.csv' },
    inputs: { sensors: { type: 'timeseries', columns: ['temp', 'load'], length: 5 } },
    heads: { level: { type: 'regression' } },
  });
  const data = await prepareData(spec);
  assert.deepEqual(data.inputs.sensors.shape, [5, 2]);
  const saved = data.preprocessing.inputs.sensors as unknown as { mean: number[]; std: number[] };
  // The training file's own values, the last 5 of each sequence: the validation file's 999999 is not in them.
  const temps = range(24).flatMap((r) => range(3 + (r % 6)).map((t) => (r + t) % 7).slice(-5));
  const mean = temps.reduce((a, b) => a + b, 0) / temps.length;
  assert.ok(Math.abs(saved.mean[0] - mean) < 1e-9, `${saved.mean[0]} vs ${mean}`);
  assert.ok(saved.mean[1] < 200);
  const { xs } = read(await data.train.batch([0]));
  assert.equal(xs.sensors.length, 10);

  write(dir, 'bad.csv', sensorRows(6).replace('1 2 3 4', '1 two 3 4'));
  const bad = tableSpec(dir, { data: { source: 'bad.csv' }, inputs: { sensors: { type: 'timeseries', column: 'temp', length: 5 } }, heads: { level: { type: 'regression' } } });
  await assert.rejects(prepareData(bad), (err: DataError) => /bad\.csv:3: column "temp" as time series: value 2 \("two"\) is not a number/.test(err.message));
});

test('spec: length required, column or columns; basic mode gives it a 1-D conv block', () => {
  const spec = loadSpecText('name: ts\ndata: {source: random, rows: 20}\ninputs:\n  sensors: {type: timeseries, columns: [a, b], length: 6}\nheads:\n  y: {type: regression}\n');
  const plan = planGraph(spec);
  assert.deepEqual(plan.blocks.map((b) => [b.name, b.spec.type, b.inputs]), [['sensors_block', 'conv', ['sensors']]]);
  assert.throws(() => loadSpecText('name: ts\ndata: {source: random}\ninputs:\n  s: {type: timeseries, column: a}\nheads:\n  y: {type: regression}\n'), (err: SpecError) => /inputs\.s.*length/.test(err.message));
});

test('search, export, predict: CSV cells, JSON arrays and the server\'s row encoder give the same numbers', async () => {
  const dir = scratch();
  const csv = write(dir, 'sensors.csv', sensorRows(40));
  const out = path.join(dir, 'runs');
  const board = await search(
    { name: 'sensors', seed: 1, data: { source: csv }, inputs: { sensors: { type: 'timeseries', columns: ['temp', 'load'], length: 6 } }, heads: { level: { type: 'regression' } }, search: { max_trials: 1, epochs: 1, batch_size: 8, backend: 'cpu', workers: 1, refit: false } },
    { out },
  );
  assert.equal(board.trials[0].status, 'completed', board.trials[0].message);
  const exported = path.join(dir, 'export');
  await exportBest(path.join(out, 'sensors'), exported);
  const predictor = await loadPredictor(exported);
  const fromFile = await predictor.predictFile(csv);
  const arrays = sensorRows(40).trim().split('\n').slice(1).map((line) => {
    const [temp, load] = line.split(',');
    return { temp: temp.split(' ').map(Number), load: load.split(';').map(Number) };
  });
  const fromArrays = await predictor.predict(arrays);
  assert.equal(fromArrays.length, 40);
  // The file's predictions are rounded to 6 decimals.
  fromArrays.forEach((p, r) => assert.ok(Math.abs((p.level as { value: number }).value - (fromFile.rows[r][0] as number)) < 1e-6, `row ${r}`));

  const preprocessing = JSON.parse(fs.readFileSync(path.join(exported, 'preprocessing.json'), 'utf8'));
  const served = rawRowEncoder(preprocessing, async () => { throw new Error('no images here'); });
  assert.deepEqual(served.columns, ['temp', 'load']);
  const texts = sensorRows(3).trim().split('\n').slice(1).map((line) => ({ temp: line.split(',')[0], load: line.split(',')[1] }));
  assert.deepEqual(Array.from((await served.encode(texts)).sensors.data), Array.from((await served.encode(arrays.slice(0, 3))).sensors.data));

  // The server: JSON arrays and written sequences both accepted; a word refused by row and column.
  const model = await loadServedModel(exported, { name: 'sensors', maxPixels: 1 << 20, batch: { maxRows: 16, maxDelayMs: 1 } });
  const app = await buildApp({ model, bodyLimit: 1 << 20, uploadLimit: 1 << 16, maxRows: 16 });
  const res = await app.inject({ method: 'POST', url: '/v1/models/sensors:predict', payload: { instances: [arrays[0], texts[0]] } });
  assert.equal(res.statusCode, 200, res.body);
  const [a, b] = res.json().predictions as Array<{ level: { value: number } }>;
  assert.ok(Math.abs(a.level.value - (fromArrays[0].level as { value: number }).value) < 1e-6 && Math.abs(a.level.value - b.level.value) < 1e-6, res.body);
  const refused = await app.inject({ method: 'POST', url: '/v1/models/sensors:predict', payload: { instances: [{ temp: '1 two', load: [1] }] } });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /temp.*value 2 \(\\"two\\"\) is not a number/);
  await app.close();
  predictor.dispose();
});
