/**
 * Target scaling: what is fitted, the forward/inverse pair in JS and in tf ops, and the exported
 * layers, saved and loaded back by plain tfjs, giving the same original units.
 */
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { TargetScaling, fitTargetScaling, forwardTensor, forwardValue, inverseTensor, inverseValue, rescaleLayers } from './target-scaling';
import { loadModelDir, saveModelDir } from '../export/artifacts';

before(async () => {
  await tf.setBackend('cpu');
});

const near = (a: number, b: number, rel: number, what: string) => assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

/** Money-like: most values small, a few very large (lognormal). */
const skewed = Array.from({ length: 400 }, (_, i) => Math.round(Math.exp(10 + 3 * Math.sin(i * 12.9898) * Math.cos(i * 78.233))));
const symmetric = Array.from({ length: 400 }, (_, i) => 4000 + 800 * Math.sin(i * 0.37));

test('auto: standard for a symmetric target, log for a strongly right-skewed non-negative one; none and log on request', () => {
  const s = fitTargetScaling(symmetric, 'auto') as TargetScaling;
  assert.equal(s.transform, 'standard');
  near(s.mean, symmetric.reduce((a, b) => a + b) / symmetric.length, 1e-12, 'mean');
  const l = fitTargetScaling(skewed, 'auto') as TargetScaling;
  assert.equal(l.transform, 'log');
  near(l.cap!, Math.max(...skewed.map(Math.log1p)), 1e-12, 'cap');
  assert.equal((fitTargetScaling(skewed, 'standard') as TargetScaling).transform, 'standard');
  assert.equal(fitTargetScaling(skewed, 'none'), undefined);
  assert.equal((fitTargetScaling(symmetric, 'log') as TargetScaling).transform, 'log');
  assert.match(fitTargetScaling([-3, 1, 2], 'log') as string, /log needs values >= 0; the training rows hold -3/);
  assert.equal((fitTargetScaling([-3, 1, 200], 'auto') as TargetScaling).transform, 'standard', 'negative values never get the log');
  assert.equal((fitTargetScaling([5, 5, 5], 'auto') as TargetScaling).std, 1, 'a constant target keeps a usable scale');
});

test('forward then inverse gives the value back, in JS and in tf ops alike (log: exact below the cap, tangent above)', () => {
  for (const values of [symmetric, skewed]) {
    const s = fitTargetScaling(values, 'auto') as TargetScaling;
    for (const y of values.slice(0, 50)) near(inverseValue(s, forwardValue(s, y)), y, 1e-9, `${s.transform} round trip`);
    const z = [-3, -1, 0, 0.5, 2, 4];
    const fromTf = tf.tidy(() => Array.from(inverseTensor(s, tf.tensor1d(z)).dataSync()));
    z.forEach((v, i) => near(fromTf[i], inverseValue(s, v), 1e-5, `tf inverse at ${v}`));
    const forwardTf = tf.tidy(() => Array.from(forwardTensor(s, tf.tensor1d(values.slice(0, 5))).dataSync()));
    values.slice(0, 5).forEach((y, i) => near(forwardTf[i], forwardValue(s, y), 1e-5, 'tf forward'));
  }
  const log = fitTargetScaling(skewed, 'log') as TargetScaling;
  const zCap = (log.cap! - log.mean) / log.std;
  near(inverseValue(log, zCap + 1 / log.std), Math.exp(log.cap!) * 2 - 1, 1e-9, 'one unit of log above the cap: the tangent, not e times');
});

test('the exported rescaling is plain tfjs: saved, loaded with loadLayersModel, it outputs original units', async () => {
  for (const values of [symmetric, skewed]) {
    const s = fitTargetScaling(values, 'auto') as TargetScaling;
    const before = tf.memory().numTensors;
    const input = tfl.input({ shape: [1] });
    const model = tfl.model({ inputs: input, outputs: rescaleLayers(input, 1, s, 'price') });
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'automm-scaling-')), 'model');
    await saveModelDir(model, dir);
    model.dispose();
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
    const json = fs.readFileSync(path.join(dir, 'model.json'), 'utf8');
    const classes = (JSON.parse(json).modelTopology.config.layers as Array<{ class_name: string }>).map((l) => l.class_name);
    assert.deepEqual([...new Set(classes)].sort(), ['Dense', 'InputLayer'], 'standard layers only');
    const loaded = await loadModelDir(dir);
    assert.equal(loaded.outputNames[0], 'price', 'the last layer carries the head name');
    const z = values.slice(0, 20).map((y) => forwardValue(s, y));
    const out = tf.tidy(() => Array.from((loaded.predict(tf.tensor2d(z, [z.length, 1])) as tf.Tensor).dataSync()));
    // float32: ~1e-7 relative to the largest value the graph handles (exp(cap) for log).
    const tolerance = s.transform === 'log' ? 1e-6 * Math.exp(s.cap!) : 1e-5 * Math.max(...values);
    values.slice(0, 20).forEach((y, i) => assert.ok(Math.abs(out[i] - y) <= tolerance, `${s.transform}: ${out[i]} vs ${y}`));
    loaded.dispose();
  }
});
