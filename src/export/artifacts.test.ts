/**
 * loadModelDir loads training graphs by itself: its own process (node --test runs each file in one)
 * where nothing has registered automm's layer classes beforehand, as in `automm summary`.
 */
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { RandomAugmentation } from '../blocks/augmentation-layer';
import { loadModelDir, saveModelDir } from './artifacts';

before(async () => {
  await tf.setBackend('cpu');
});

test('a saved training graph with the augmentation layer loads without registering anything first', async () => {
  const input = tfl.input({ shape: [4, 4, 1] });
  const augmented = new RandomAugmentation({ horizontalFlip: true, verticalFlip: false, translationFactor: 0, rotationFactor: 0, zoomFactor: 0, contrastFactor: 0 }).apply(input);
  const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2, name: 'out' }).apply(augmented) as tfl.SymbolicTensor });
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'automm-artifacts-')), 'model');
  await saveModelDir(model, dir);
  const loaded = await loadModelDir(dir);
  assert.equal(loaded.layers[1].getClassName(), RandomAugmentation.className);
  assert.deepEqual(loaded.getLayer('out').getWeights().map((w) => Array.from(w.dataSync())), model.getLayer('out').getWeights().map((w) => Array.from(w.dataSync())));
  model.dispose();
  loaded.dispose();
});
