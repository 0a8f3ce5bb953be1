/**
 * Small backbones for tests, the bench and the shipped fixture: a Keras-style image classifier
 * (convolutions, batch normalisation, global pooling, dropout, a softmax "predictions" layer) with
 * seeded weights, saved in the TF.js layers format as a converted Keras model would be.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { saveModelDir, MODEL_JSON } from '../export/artifacts';
import { makeRng } from '../util/rng';

export interface TinyBackbone {
  /** Input [h, w, c]; default [16, 16, 3]. */
  inputShape?: [number, number, number];
  /** Filters of each stride-2 3x3 convolution; default [8, 16]. */
  filters?: number[];
  classes?: number;
  seed?: number;
}

export function tinyBackbone(opts: TinyBackbone = {}): tfl.LayersModel {
  const { inputShape = [16, 16, 3], filters = [8, 16], classes = 10, seed = 1 } = opts;
  const input = tfl.input({ shape: inputShape, name: 'image' });
  let x: tfl.SymbolicTensor = input;
  filters.forEach((f, i) => {
    x = tfl.layers.conv2d({ filters: f, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: `conv${i + 1}` }).apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.batchNormalization({ name: `bn${i + 1}` }).apply(x) as tfl.SymbolicTensor;
  });
  x = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dropout({ rate: 0.2, name: 'dropout' }).apply(x) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: classes, activation: 'softmax', name: 'predictions' }).apply(x) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: out, name: 'tiny_backbone' });
  seedWeights(model, seed);
  return model;
}

/** Deterministic weights (He-scaled normals; positive variances for batch normalisation). */
function seedWeights(model: tfl.LayersModel, seed: number): void {
  const rng = makeRng(seed);
  const values = model.weights.map((weight) => {
    const w = { name: weight.name, shape: weight.shape as number[] };
    const size = w.shape.reduce((a, b) => a * b, 1);
    const fanIn = w.shape.length > 1 ? w.shape.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
    const data = Float32Array.from({ length: size }, () => {
      if (w.name.includes('moving_variance')) return 0.5 + rng.next();
      if (w.name.includes('gamma')) return 0.8 + 0.4 * rng.next();
      return rng.normal() * (w.shape.length > 1 ? Math.sqrt(2 / fanIn) : 0.1);
    });
    return tf.tensor(data, w.shape);
  });
  model.setWeights(values);
  tf.dispose(values);
}

/** Saves a backbone to dir (model.json + weights.bin) and returns the model.json path. */
export async function saveBackbone(model: tfl.LayersModel, dir: string): Promise<string> {
  await saveModelDir(model, dir);
  return path.join(dir, MODEL_JSON);
}
