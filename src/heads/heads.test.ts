import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { makeContext } from '../blocks/block';
import { leakedTensors, roundTrip } from '../blocks/model-check';
import { HEADS } from './registry';

before(async () => {
  await tf.setBackend('cpu');
});

interface HeadCase {
  written: Record<string, unknown>;
  /** Per-example shape of what feeds the head. */
  input: number[];
  output: number[];
  activation: string;
}

/** Every registered head, each way it can predict. */
const CASES: Record<string, Record<string, HeadCase>> = {
  classification: {
    binary: { written: {}, input: [8], output: [1], activation: 'sigmoid' },
    'four classes from a feature map': { written: { classes: 4 }, input: [3, 3, 8], output: [4], activation: 'softmax' },
    'multi-label from a sequence': { written: { classes: 3, multi_label: true }, input: [5, 8], output: [3], activation: 'sigmoid' },
  },
  regression: {
    'one number': { written: {}, input: [8], output: [1], activation: 'linear' },
    'three numbers from a feature map, with dropout': { written: { units: 3 }, input: [3, 3, 8], output: [3], activation: 'linear' },
  },
};

test('every registered head has cases, under its own type', () => {
  assert.deepEqual(Object.keys(CASES).sort(), Object.keys(HEADS).sort());
  for (const [key, def] of Object.entries(HEADS)) assert.equal(def.type, key);
});

function buildHead(type: string, c: HeadCase, dropout = 0): tfl.LayersModel {
  const def = HEADS[type];
  const input = tfl.input({ shape: c.input });
  const output = def.build(makeContext('label', false), input, def.info('label', c.written), { dropout });
  return tfl.model({ inputs: input, outputs: output });
}

for (const [type, cases] of Object.entries(CASES)) {
  describe(type, () => {
    for (const [name, c] of Object.entries(cases)) {
      test(name, async () => {
        const leaked = await leakedTensors(async () => {
          const model = buildHead(type, c, name.includes('dropout') ? 0.25 : 0);
          const out = model.layers.at(-1)!;
          assert.equal(out.name, 'label', 'the output layer is named as the head');
          assert.equal((out.getConfig() as { activation: string }).activation, c.activation);
          assert.deepEqual(model.outputs[0].shape.slice(1), c.output);
          const x = tf.randomUniform([2, ...c.input]);
          const loaded = await roundTrip(model);
          const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
          const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
          assert.ok(diff.dataSync()[0] < 1e-5);
          tf.dispose([x, a, b, diff]);
          model.dispose();
          loaded.dispose();
        });
        assert.equal(leaked, 0);
      });
    }
  });
}

test('classification infers its loss and accuracy from how it predicts', () => {
  const c = HEADS.classification;
  const names = (written: Record<string, unknown>) => {
    const info = c.info('label', written);
    return [c.loss(info, written).name, ...c.metrics(info, written).map((m) => m.name)];
  };
  assert.deepEqual(names({}), ['binary_crossentropy', 'accuracy']);
  assert.deepEqual(names({ classes: 5 }), ['categorical_crossentropy', 'accuracy']);
  assert.deepEqual(names({ classes: 5, multi_label: true }), ['binary_crossentropy', 'accuracy']);
  assert.deepEqual(names({ classes: 5, loss: 'binary_crossentropy' }), ['binary_crossentropy', 'accuracy']);
  assert.equal(c.metrics(c.info('label', {}), {})[0].direction, 'max');
});

test('regression defaults to mse and reports mae', () => {
  const r = HEADS.regression;
  const info = r.info('price', {});
  assert.deepEqual(info, { name: 'price', type: 'regression', units: 1 });
  assert.equal(r.loss(info, {}).name, 'mse');
  assert.deepEqual(r.metrics(info, { metrics: ['rmse', 'mse'] }).map((m) => [m.name, m.direction]), [['rmse', 'min'], ['mse', 'min']]);
  assert.equal(r.loss(info, { loss: 'huber' }).name, 'huber');
});
