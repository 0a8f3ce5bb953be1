/** copyWeights: by name, either way between a training graph and its export, frozen layers included. */
import { test, before } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { copyWeights } from './build';
import { TargetScaling, rescaleLayerNames, rescaleLayers, standardisedName } from '../data/target-scaling';

before(async () => {
  await tf.setBackend('cpu');
});

const values = (layer: tfl.layers.Layer) => layer.getWeights().map((w) => Array.from(w.dataSync()));

/** input -> a frozen dense layer (a pretrained block's) -> the head's output layer, named `out`. */
function frozenThenHead(out: string, exported?: TargetScaling): tfl.LayersModel {
  const input = tfl.input({ shape: [3] });
  const frozen = tfl.layers.dense({ units: 3, trainable: false, name: 'bb_dense_1' }).apply(input) as tfl.SymbolicTensor;
  if (!exported) return tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 1, name: out }).apply(frozen) as tfl.SymbolicTensor });
  const trained = tfl.layers.dense({ units: 1, name: standardisedName(out) }).apply(frozen) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: rescaleLayers(trained, 1, exported, out) });
}

test('a frozen dense layer the source has is copied; a scaled head is copied to its export and back, its rescaling kept', () => {
  const scaling: TargetScaling = { transform: 'log', mean: 2, std: 3, cap: 9 };
  const training = frozenThenHead('price');
  const exported = frozenThenHead('price', scaling);
  const fixed = rescaleLayerNames('price').map((n) => values(exported.getLayer(n)));
  copyWeights(training, exported);
  assert.deepEqual(values(exported.getLayer('bb_dense_1')), values(training.getLayer('bb_dense_1')), 'frozen layer copied');
  assert.deepEqual(values(exported.getLayer(standardisedName('price'))), values(training.getLayer('price')), 'trained head copied');
  assert.deepEqual(rescaleLayerNames('price').map((n) => values(exported.getLayer(n))), fixed, 'rescaling constants kept');
  // Fine-tuning starts a training graph from the export of the head's phase.
  const again = frozenThenHead('price');
  copyWeights(exported, again);
  assert.deepEqual(values(again.getLayer('price')), values(training.getLayer('price')), 'trained head copied back');
  assert.deepEqual(values(again.getLayer('bb_dense_1')), values(training.getLayer('bb_dense_1')), 'frozen layer copied back');
  for (const m of [training, exported, again]) m.dispose();
});

test('a frozen layer the source lacks keeps its weights; a trainable one it lacks is an error', () => {
  const input = tfl.input({ shape: [3] });
  const head = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 1, name: 'price' }).apply(input) as tfl.SymbolicTensor });
  const full = frozenThenHead('price');
  const kept = values(full.getLayer('bb_dense_1'));
  copyWeights(head, full);
  assert.deepEqual(values(full.getLayer('bb_dense_1')), kept);
  full.getLayer('bb_dense_1').trainable = true;
  assert.throws(() => copyWeights(head, full), /has no layer "bb_dense_1"/);
  head.dispose();
  full.dispose();
});
