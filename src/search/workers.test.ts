/** The trial-worker count shared by `automm search` and `automm worker`: the default, capped by cores and free memory. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { defaultWorkers, trialWorkers } from './workers';

/** Rows of `floats` float32 values each, as prepared data's shape and counts. */
const data = (rows: number, floats: number) => ({ inputs: { x: { shape: [floats] } }, train: { rows }, validation: { rows: 0 } }) as never;

test('the default is every core on wasm and cpu, one on engines that use every core themselves', () => {
  assert.equal(defaultWorkers('wasm'), os.availableParallelism());
  assert.equal(defaultWorkers('cpu'), os.availableParallelism());
  assert.equal(defaultWorkers('tensorflow'), 1);
  assert.equal(defaultWorkers('webgpu'), 1);
});

test('workers asked or by default are capped by the free memory a copy of the data needs, with a note', () => {
  // More than this machine's free memory per worker: one worker, whatever was asked.
  const huge = data(Math.ceil(os.freemem() / 4), 4);
  const asked = trialWorkers(8, 'wasm', huge);
  assert.equal(asked.workers, 1);
  assert.match(asked.note!, /^8 workers asked, 1 used \(.* free memory, about .* per worker\)$/);
  assert.equal(trialWorkers(undefined, 'cpu', huge).workers, 1);
  assert.deepEqual(trialWorkers(undefined, 'tensorflow', data(10, 4)), { workers: 1 });
  assert.equal(trialWorkers(undefined, 'wasm', data(10, 4)).workers, Math.min(os.availableParallelism(), trialWorkers(64, 'wasm', data(10, 4)).workers));
});
