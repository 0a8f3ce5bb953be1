import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/**
 * Each case runs in its own process: the wasm build (threaded or not) is chosen once per process.
 * The child trains the reference conv model for two steps from seeded weights and prints the loss
 * and a checksum of every weight; it must also exit by itself (no pthread left holding it open).
 */
const CHILD = `
  const tf = require('@tensorflow/tfjs-core');
  const tfl = require('@tensorflow/tfjs-layers');
  const { initEngine } = require(${JSON.stringify(require.resolve('./backend'))});
  const { convModel } = require(${JSON.stringify(require.resolve('../bench/models'))});
  (async () => {
    const engine = await initEngine('wasm', { threads: Number(process.argv[1]) });
    const model = convModel();
    let seed = 1;
    for (const w of model.weights) w.write(tf.tensor(Float32Array.from({ length: w.shape.reduce((a, b) => a * b, 1) }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.2), w.shape));
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const x = tf.tensor4d(Float32Array.from({ length: 32 * 32 * 32 * 3 }, (_, i) => Math.sin(i)), [32, 32, 32, 3]);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), 'int32'), 10);
    let loss = 0;
    for (let i = 0; i < 2; i++) loss = await model.trainOnBatch(x, y);
    const sums = model.getWeights().map((w) => tf.sum(tf.abs(w)).dataSync()[0]);
    console.log(JSON.stringify({ reason: engine.reason, threads: require('@tensorflow/tfjs-backend-wasm').getThreadsCount(), loss, sums }));
  })();
`;

function train(threads: number): { reason: string; threads: number; loss: number; sums: number[] } {
  const r = spawnSync(process.execPath, ['-e', CHILD, String(threads)], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `child with ${threads} thread(s) exited with ${r.status} (signal ${r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
}

test('wasm runs XNNPACK on 2 threads in Node, trains to the same weights as 1 thread, and exits', () => {
  const one = train(1);
  const two = train(2);
  assert.equal(one.threads, 1);
  assert.equal(two.threads, 2);
  assert.match(two.reason, /; 2 threads$/);
  assert.ok(Math.abs(one.loss - two.loss) <= 1e-5 * Math.abs(one.loss), `loss ${one.loss} vs ${two.loss}`);
  for (const [i, s] of one.sums.entries()) assert.ok(Math.abs(s - two.sums[i]) <= 1e-4 * Math.abs(s), `weight ${i}: ${s} vs ${two.sums[i]}`);
});
