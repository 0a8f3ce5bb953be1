import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { resolveBlock } from './block';
import { BLOCKS } from './registry';
import { DEFAULT_CASES, buildCase } from './fixtures';
import { HyperParameters, Picker, replayPicker } from '../search/hp';
import { HpValue, defaultValue } from '../spec/space';

before(async () => {
  await tf.setBackend('cpu');
});

/** The default picker, except for the answers given. */
const picking = (answers: Record<string, HpValue>): Picker => (name, def) => (name in answers ? answers[name] : defaultValue(def));

function resolve(type: string, answers: Record<string, HpValue> = {}, written: Record<string, unknown> = {}) {
  const hp = new HyperParameters(picking(answers));
  const params = resolveBlock(BLOCKS[type], hp.scope(type), written);
  return { params, names: Object.keys(hp.space).sort() };
}

test('image: its own choices, then only the chosen backbone, scoped by its name', () => {
  const { params, names } = resolve('image');
  assert.deepEqual(params.block_type, 'conv');
  assert.equal(params.normalize, true);
  assert.equal(params.augment, false);
  assert.equal(params.conv.filters, 32);
  assert.ok(names.includes('image/block_type') && names.includes('image/normalize') && names.includes('image/augment'));
  assert.ok(names.includes('image/conv/filters') && names.includes('image/conv/kernel_size'));
  assert.ok(!names.some((n) => n.startsWith('image/resnet/') || n.startsWith('image/image_augmentation/')));
});

test('image: choosing resnet and augmentation asks for their parameters instead', () => {
  const { params, names } = resolve('image', { 'image/block_type': 'resnet', 'image/augment': true });
  assert.equal(params.resnet.version, 'v2');
  assert.ok(names.includes('image/resnet/version') && names.includes('image/image_augmentation/horizontal_flip'));
  assert.ok(!names.some((n) => n.startsWith('image/conv/')));
});

test('a written value is fixed: not searched, not in the space', () => {
  const { params, names } = resolve('image', {}, { block_type: 'xception' });
  assert.equal(params.block_type, 'xception');
  assert.ok(!names.includes('image/block_type'));
  assert.ok(names.includes('image/xception/num_blocks'));
});

test('text: a shared embedding scope, then conv (vanilla) or rnn', () => {
  const vanilla = resolve('text');
  assert.ok(vanilla.names.includes('text/block_type') && vanilla.names.includes('text/embedding/embedding_dim') && vanilla.names.includes('text/conv/filters'));
  const rnn = resolve('text', { 'text/block_type': 'rnn' });
  assert.ok(rnn.names.includes('text/rnn/layer_type') && rnn.names.includes('text/embedding/embedding_dim'));
  assert.ok(!rnn.names.some((n) => n.startsWith('text/conv/')));
});

test('structured: normalisation is off and not searched; the dense block is scoped', () => {
  const { params, names } = resolve('structured');
  assert.equal(params.normalize, false);
  assert.ok(!names.includes('structured/normalize'));
  assert.ok(names.includes('structured/dense/num_units'));
});

test('categorical_to_numerical asks for embedding_dim only with the embedding encoding', () => {
  assert.deepEqual(resolve('categorical_to_numerical').names, ['categorical_to_numerical/encoding']);
  const embedded = resolve('categorical_to_numerical', { 'categorical_to_numerical/encoding': 'embedding' });
  assert.deepEqual(embedded.names, ['categorical_to_numerical/embedding_dim', 'categorical_to_numerical/encoding']);
  assert.deepEqual(embedded.params, { encoding: 'embedding', embedding_dim: 8 });
});

test('recorded values replay to the same parameters (export and predict rebuild graphs this way)', () => {
  for (const type of Object.keys(BLOCKS)) {
    const hp = new HyperParameters(picking({ 'image/augment': true }));
    const first = resolveBlock(BLOCKS[type], hp.scope(type), {});
    const replayed = resolveBlock(BLOCKS[type], new HyperParameters(replayPicker(hp.values)).scope(type), {});
    assert.deepEqual(replayed, first, type);
  }
});

test('every default configuration is small: under 100k weights on 32x32 images, 100 tokens of 1,000 words, 20 columns', () => {
  for (const [type, c] of Object.entries(DEFAULT_CASES)) {
    const typical = {
      ...c,
      inputs: c.inputs.map((i) => (i.shape.length === 3 && i.shape[0] === 16 ? { shape: [32, 32, 3] } : i.dtype === 'int32' ? { ...i, shape: [100] } : i)),
      vocabSize: c.vocabSize && 1000,
      // Default parameters; settings (a pretrained block's model file) are not parameters and stay.
      written: Object.fromEntries(Object.entries(c.written ?? {}).filter(([k]) => k in (BLOCKS[type].settings ?? {}))),
      stats: undefined,
    };
    const { model } = buildCase(typical);
    assert.ok(model.countParams() < 100_000, `${type}: ${model.countParams()} weights`);
    model.dispose();
  }
});
