/**
 * Pretrained backbones end to end with a small backbone made here: validation at the spec's lines,
 * the feature cache (same results as running the backbone every epoch, faster, reused on resume),
 * fine-tuning, and a search whose best model holds the backbone.
 */
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initEngine } from '../engine/backend';
import { makeContext } from '../blocks/block';
import { pretrained } from '../blocks/pretrained';
import { registerCustomLayers } from '../blocks/registry';
import { loadSpecText } from '../spec/validate';
import { SpecError } from '../spec/errors';
import type { Spec } from '../spec/types';
import { synthesize } from '../data/synth';
import { planGraph } from '../graph/plan';
import { resolveTrial } from '../graph/resolve';
import { defaultValue } from '../spec/space';
import type { PreparedData } from '../data/source';
import type { TrainResult } from '../search/training/job';
import { disposeModel } from '../search/training/dispose';
import { inProcessExecutor } from '../search/executors';
import { runSearch } from '../search/run';
import { loadModelDir } from '../export/artifacts';
import { trainWithPretrained } from './train';
import { featureCounters, forgetFeatureMemory } from './features';
import { saveBackbone, tinyBackbone, TinyBackbone } from './testing';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'automm-pretrained-'));

before(async () => {
  await initEngine('wasm');
  registerCustomLayers();
});

/** A project folder with a backbone saved in it and a spec (random images) that reads it. */
async function setUp(block: string, opts: { backbone?: TinyBackbone; image?: number[]; rows?: number; search?: string } = {}): Promise<{ dir: string; spec: Spec }> {
  const dir = tmp();
  await saveBackbone(tinyBackbone(opts.backbone), path.join(dir, 'backbone'));
  const text = `name: tl
seed: 3
data: {source: random, rows: ${opts.rows ?? 32}}
inputs:
  photo: {type: image, shape: [${opts.image ?? [24, 24, 3]}]}
blocks:
  bb: {type: pretrained, input: photo, model: backbone/model.json, ${block}}
  top: {type: dense, input: bb, num_layers: 1, num_units: 8}
heads:
  label: {type: classification, input: top, classes: 3}
search: {${opts.search ?? 'max_trials: 1, epochs: 1, batch_size: 8'}}
`;
  fs.writeFileSync(path.join(dir, 'spec.yaml'), text);
  return { dir, spec: loadSpecText(text, path.join(dir, 'spec.yaml')) };
}

function job(spec: Spec, data: PreparedData, epochs: number) {
  const plan = planGraph(spec);
  const resolution = resolveTrial(spec, plan, (_, d) => defaultValue(d));
  return { spec, plan, resolution, data, seed: 11, epochs };
}

/** Whether a backbone layer's first weight differs from the saved backbone's. */
const moved = (model: tfl.LayersModel, saved: tfl.LayersModel, layer: string) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(model.getLayer(`bb_${layer}`).getWeights()[0], saved.getLayer(layer).getWeights()[0]))).dataSync()[0] > 0);

const predictions = (r: TrainResult, x: tf.Tensor) => tf.tidy(() => Array.from((r.model.predict(x) as tf.Tensor).dataSync()));

test('validate reports a wrong path, a missing layer and a shape mismatch at their lines', async () => {
  const { dir } = await setUp('preprocess: {scale: [-1, 1]}');
  fs.writeFileSync(path.join(dir, 'graph.json'), JSON.stringify({ format: 'graph-model', modelTopology: { node: [] } }));
  const text = `name: tl
data: {source: random, rows: 32}
inputs:
  photo: {type: image, shape: [16, 16, 3]}
  grey: {type: image, shape: [16, 16, 1]}
blocks:
  a: {type: pretrained, input: photo, model: backbone/nope.json}
  b:
    type: pretrained
    input: photo
    model: backbone/model.json
    output_layer: conv3
  c: {type: pretrained, input: grey, model: backbone/model.json}
  d: {type: pretrained, input: photo, model: graph.json}
  joint: {type: merge, inputs: [a, b, c, d]}
heads:
  label: {type: classification, input: joint, classes: 3}
`;
  const err = (() => {
    try {
      loadSpecText(text, path.join(dir, 'spec.yaml'));
    } catch (e) {
      return e;
    }
  })();
  assert.ok(err instanceof SpecError, String(err));
  const found = err.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
  assert.equal(found.length, 4, found.join('\n'));
  assert.match(found[0], /^7:46 blocks\.a\.model: file not found: .*backbone\/nope\.json$/);
  assert.match(found[1], /^12:19 blocks\.b\.output_layer: no layer "conv3" in .*model\.json; known: image, conv1, .* \(did you mean "conv1"\?\)$/);
  assert.match(found[2], /^13:32 blocks\.c\.input: shape mismatch: the backbone takes images \[16, 16, 3\] \(3 channels\), input "grey" has shape \[16, 16, 1\]/);
  assert.match(found[3], /^14:46 blocks\.d\.model: .*graph\.json is a graph model .*only layers models are supported/);
});

test('frozen: training on cached features gives the results of running the backbone every epoch, faster', async () => {
  const { dir, spec } = await setUp('preprocess: {scale: [-1, 1]}', { backbone: { inputShape: [48, 48, 3], filters: [32, 64, 128] }, image: [48, 48, 3], rows: 128, search: 'max_trials: 1, epochs: 3, batch_size: 16' });
  const data = synthesize(spec);
  const epochTimes = async (cacheDir?: string) => {
    const ends: number[] = [];
    const result = await trainWithPretrained(job(spec, data, 3), { onEpoch: () => ends.push(Date.now()) }, cacheDir);
    // The faster of epochs 2 and 3 (the first compiles kernels): robust to a busy shared machine.
    return { result, later: Math.min(ends[1] - ends[0], ends[2] - ends[1]) };
  };
  const every = await epochTimes(undefined);
  const cached = await epochTimes(path.join(dir, 'features'));
  assert.equal(featureCounters.computed > 0, true);
  const x = (await data.validation.batch([0, 1, 2, 3])).xs.photo;
  try {
    for (const [k, v] of Object.entries(every.result.history[2])) assert.ok(Math.abs(v - cached.result.history[2][k]) < 1e-5, `${k}: ${v} vs ${cached.result.history[2][k]}`);
    const [a, b] = [predictions(every.result, x), predictions(cached.result, x)];
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-5, `prediction ${i}: ${v} vs ${b[i]}`));
    assert.ok(cached.later * 2 < every.later, `an epoch on cached features (${cached.later} ms) takes under half the time of one through the backbone (${every.later} ms)`);
  } finally {
    x.dispose();
    disposeModel(every.result.model);
    disposeModel(cached.result.model);
  }
});

test('fine_tune_layers: the head trains first, then the top backbone layers move and the lower ones stay', async () => {
  const { dir, spec } = await setUp('fine_tune_layers: 1', { search: 'max_trials: 1, epochs: 2, batch_size: 8' });
  const epochs: number[] = [];
  // keepLast (as a refit): the fine-tuned phase is kept even when it scores worse than the head alone.
  const result = await trainWithPretrained({ ...job(spec, synthesize(spec), 2), keepLast: true }, { onEpoch: (e) => epochs.push(e) }, path.join(dir, 'features'));
  const saved = await loadModelDir(path.join(dir, 'backbone'));
  const changed = (layer: string) => moved(result.model, saved, layer);
  try {
    assert.deepEqual(epochs, [0, 1]);
    assert.equal(result.history.length, 2);
    assert.ok(changed('bn2') || changed('conv2'), 'the top weighted layer trained');
    assert.equal(changed('conv1'), false, 'conv1 stayed frozen');
  } finally {
    saved.dispose();
    disposeModel(result.model);
  }
});

test('fine-tuning a scaled regression head starts from the export of the head phase (its rescaling left out)', async () => {
  const { dir } = await setUp('fine_tune_layers: 1');
  const file = path.join(dir, 'spec.yaml');
  const text = fs.readFileSync(file, 'utf8').replace('label: {type: classification, input: top, classes: 3}', 'price: {type: regression, input: top}');
  const spec = loadSpecText(text.replace('epochs: 1', 'epochs: 2'), file);
  const data = synthesize(spec);
  data.heads.price = { ...data.heads.price, scaling: { transform: 'log', mean: 3, std: 2, cap: 6 } };
  const result = await trainWithPretrained({ ...job(spec, data, 2), keepLast: true }, {}, path.join(dir, 'features'));
  try {
    assert.equal(result.history.length, 2, 'both phases ran');
    assert.deepEqual(result.model.outputNames, ['price']);
    assert.ok(result.model.getLayer('price_standardised'));
  } finally {
    disposeModel(result.model);
  }
});

test('trainable: every backbone layer trains from the start, with no feature cache', async () => {
  const { dir, spec } = await setUp('trainable: true');
  const computed = featureCounters.computed;
  const result = await trainWithPretrained(job(spec, synthesize(spec), 1), {}, path.join(dir, 'features'));
  const saved = await loadModelDir(path.join(dir, 'backbone'));
  const changed = (layer: string) => moved(result.model, saved, layer);
  try {
    assert.ok(changed('conv1') && changed('conv2'));
    assert.equal(featureCounters.computed, computed);
    assert.equal(fs.existsSync(path.join(dir, 'features')), false);
  } finally {
    saved.dispose();
    disposeModel(result.model);
  }
});

test('a search with a pretrained block saves a model with the backbone in it; --resume reuses the cached features', async () => {
  const { dir, spec } = await setUp('output_layer: pool', { search: 'max_trials: 2, epochs: 1, batch_size: 8, tuner: random' });
  const project = path.join(dir, 'runs', 'tl');
  const data = synthesize(spec);
  forgetFeatureMemory();
  const computedBefore = featureCounters.computed;
  const board = await runSearch(spec, data, inProcessExecutor(spec, data, project, 'wasm'), { project });
  assert.ok(board.trials.every((t) => t.status === 'completed'), JSON.stringify(board.trials));
  assert.equal(featureCounters.computed - computedBefore, 32, 'every image through the backbone once (32 rows, refit included)');
  assert.ok(fs.readdirSync(path.join(project, 'features')).some((f) => f.endsWith('.bin')));

  // A fresh process (memory forgotten), resumed with one more trial: every feature comes from the files.
  forgetFeatureMemory();
  const more = { ...spec, search: { ...spec.search, max_trials: 3 } };
  const resumed = await runSearch(more, data, inProcessExecutor(more, data, project, 'wasm'), { project, resume: true });
  assert.equal(resumed.trials.length, 3);
  assert.equal(featureCounters.computed - computedBefore, 32, 'no image recomputed on resume');

  const best = await loadModelDir(path.join(project, 'best'));
  try {
    assert.deepEqual(best.inputNames, ['photo']);
    assert.ok(best.layers.some((l) => l.name === 'bb_conv2'), 'the backbone is inside the saved model');
    const x = tf.zeros([2, 24, 24, 3]);
    const y = best.predict(x) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 3]);
    tf.dispose([x, y]);
  } finally {
    best.dispose();
  }
});

test('a backbone layer tfjs does not know is named', async () => {
  const { dir } = await setUp('preprocess: {scale: [-1, 1]}');
  const file = path.join(dir, 'backbone', 'model.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  json.modelTopology.config.layers[1].class_name = 'MyConv';
  fs.writeFileSync(file, JSON.stringify(json));
  const input = tfl.input({ shape: [16, 16, 3] });
  assert.throws(() => pretrained.build(makeContext('bb', false, undefined, new Map(), undefined, dir), [input], { model: 'backbone/model.json', fine_tune_layers: 0 }), /pretrained "bb": layer "conv1" is a MyConv, which TensorFlow.js does not know/);
});
