import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tfl from '@tensorflow/tfjs-layers';
import { makeContext, resolveBlock } from './block';
import { BlockGraphError, GraphShapeError } from './errors';
import { BLOCKS } from './registry';
import { defaultPicker } from './fixtures';

/** Builds a block in its default configuration on inputs of the given shapes. */
function build(type: string, shapes: number[][], name = type, vocabSize?: number) {
  const params = resolveBlock(BLOCKS[type], defaultPicker().scope(name), {});
  const inputs = shapes.map((shape) => tfl.input({ shape }));
  return BLOCKS[type].build(makeContext(name, false, undefined, new Map(), vocabSize), inputs, params);
}

const shapeError = (message: string) => (e: unknown) => e instanceof GraphShapeError && e.message === message;

test('merge add of different widths names both shapes', () => {
  const params = { mode: 'add' };
  const inputs = [tfl.input({ shape: [16] }), tfl.input({ shape: [32] })];
  assert.throws(() => BLOCKS.merge.build(makeContext('joint', false), inputs, params), (e: unknown) => {
    return e instanceof GraphShapeError && e.block === 'joint' && e.message === 'merge "joint" mode add needs equal shapes, got [16] and [32]';
  });
});

test('merge add compares shapes after reducing feature maps', () => {
  const inputs = [tfl.input({ shape: [4, 4, 8] }), tfl.input({ shape: [16] })];
  assert.throws(() => BLOCKS.merge.build(makeContext('joint', false), inputs, { mode: 'add' }), shapeError('merge "joint" mode add needs equal shapes, got [8] and [16]'));
});

test('blocks say which ranks they need', () => {
  assert.throws(() => build('resnet', [[6, 8]], 'res'), shapeError('resnet "res" needs image-like features [h, w, c], got [6, 8]'));
  assert.throws(() => build('xception', [[10]], 'xc'), shapeError('xception "xc" needs image-like features [h, w, c], got [10]'));
  assert.throws(() => build('conv', [[10]], 'c'), shapeError('conv "c" needs image-like features [h, w, c] or a sequence [t, c], got [10]'));
  assert.throws(() => build('rnn', [[4, 4, 3]], 'r'), shapeError('rnn "r" needs a sequence [t, c] (put an embedding before token ids), got [4, 4, 3]'));
  assert.throws(() => build('image', [[10]], 'photo'), shapeError('image "photo" needs images [h, w, c], got [10]'));
  assert.throws(() => build('text', [[4, 4]], 'review', 50), shapeError('text "review" needs token ids [t] from a text input, got [4, 4]'));
  assert.throws(() => build('structured', [[4, 4, 3]], 'table'), shapeError('structured "table" needs a table row [columns], got [4, 4, 3]'));
});

test('an embedding without a vocabulary size says what it needs', () => {
  assert.throws(() => build('embedding', [[12]], 'emb'), (e: unknown) => e instanceof BlockGraphError && !(e instanceof GraphShapeError) && /vocabulary size/.test(e.message));
});
