/**
 * Every input type in the table, from its own example: valid in a spec, random data shaped as the
 * spec alone says (specInfo), and the block basic mode gives it builds and predicts, leaking no tensors.
 */
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { stringify } from 'yaml';
import { synthesize } from '../data/synth';
import { buildModel } from '../graph/build';
import { planGraph } from '../graph/plan';
import { resolveTrial } from '../graph/resolve';
import { HEADS } from '../heads/registry';
import { defaultValue } from '../spec/space';
import { loadSpecText } from '../spec/validate';
import { INPUTS } from './registry';

before(async () => {
  await tf.setBackend('cpu');
});

for (const [type, def] of Object.entries(INPUTS)) {
  test(`input type ${type}: its example validates, its random data has its spec's shape, the block basic mode gives it builds and predicts`, async () => {
    assert.equal(def.type, type);
    const spec = loadSpecText(stringify({ name: 'inputs', data: { source: 'random', rows: 12 }, inputs: { x: def.example }, heads: { y: { type: 'regression' } }, search: { batch_size: 4 } }));
    const data = synthesize(spec);
    const expected = def.specInfo('x', spec.inputs.x);
    assert.deepEqual(data.inputs.x.shape, expected.shape);
    assert.equal(data.inputs.x.dtype, expected.dtype);

    const plan = planGraph(spec);
    const resolution = resolveTrial(spec, plan, (_name, d) => defaultValue(d));
    const heads = { y: HEADS.regression.info('y', spec.heads.y as Record<string, unknown>) };
    const before = tf.memory().numTensors;
    const model = buildModel(plan, resolution, { inputs: data.inputs, heads });
    const batch = await data.train.batch([0, 1, 2]);
    const out = model.predict(batch.xs.x) as tf.Tensor;
    assert.deepEqual(out.shape, [3, 1]);
    tf.dispose([out, ...Object.values(batch.xs), ...Object.values(batch.ys)]);
    model.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
}
