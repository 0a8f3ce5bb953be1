/** Shared by the predictor, server and browser tests: a tiny model over prepared data, trained once and saved. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { parse } from 'csv-parse/sync';
import { prepareData } from '../data/prepare';
import type { PreparedData } from '../data/source';
import { FIXTURES, range, scratch, tableSpec } from '../data/testing';
import { saveModelDir } from './artifacts';
import type { DataSpec, Spec } from '../spec/types';

/** A small model over whatever the data provides: enough layers that every input value matters. */
export function modelFor(data: PreparedData): tfl.LayersModel {
  const inputs = Object.values(data.inputs).map((info) => tfl.input({ name: info.name, shape: info.shape, dtype: info.dtype }));
  const features = Object.values(data.inputs).map((info, i) => {
    const x = info.type === 'text' ? tfl.layers.embedding({ inputDim: info.vocabSize!, outputDim: 3 }).apply(inputs[i]) : inputs[i];
    return (info.shape.length === 1 && info.type !== 'text' ? x : tfl.layers.flatten().apply(x)) as tfl.SymbolicTensor;
  });
  const joint = features.length > 1 ? (tfl.layers.concatenate().apply(features) as tfl.SymbolicTensor) : features[0];
  const outputs = Object.values(data.heads).map((h) => {
    const units = h.type === 'regression' ? 1 : h.multiLabel ? h.classes! : h.classes === 2 ? 1 : h.classes!;
    const activation = h.type === 'regression' ? 'linear' : units === 1 || h.multiLabel ? 'sigmoid' : 'softmax';
    return tfl.layers.dense({ units, activation, name: h.name, kernelInitializer: tfl.initializers.randomNormal({ seed: 1, stddev: 0.5 }) }).apply(joint) as tfl.SymbolicTensor;
  });
  return tfl.model({ inputs, outputs });
}

export const PETS = path.join(FIXTURES, 'pets');

/** The pets table's test rows as the CSV holds them (image paths relative to PETS). */
export const petRows = (): Array<Record<string, string>> => parse(fs.readFileSync(path.join(PETS, 'test.csv')), { columns: true, bom: true });

/** The pets table: a photo, a review, four structured columns -> a label and a fee. */
export function petsSpec(data: Partial<DataSpec> & { source: DataSpec['source'] }, imageShape: [number, number, 1 | 3]): Spec {
  return tableSpec(FIXTURES, {
    data,
    inputs: {
      photo: { type: 'image', column: 'photo_path', shape: imageShape },
      review: { type: 'text', column: 'review', max_tokens: 40, sequence_length: 12 },
      attrs: { type: 'structured', columns: ['age (years)', 'weight kg', 'home city', 'vaccinated'] },
    },
    heads: { label: { type: 'classification', column: 'label' }, fee: { type: 'regression', column: 'adoption fee' } },
  });
}

/**
 * The pets fixture (images, text, numbers with gaps, categories -> a class and a value), a model
 * trained on it for one epoch, saved with its preprocessing.json as `automm export` writes them.
 */
export async function trainedPetsModel(): Promise<string> {
  const data = await prepareData(petsSpec({ source: 'pets/train.csv' }, [16, 16, 3]));
  const model = modelFor(data);
  model.compile({ optimizer: 'adam', loss: { label: 'categoricalCrossentropy', fee: 'meanSquaredError' } });
  const batch = await data.train.batch(range(data.train.rows));
  await model.fit(model.inputNames.map((n) => batch.xs[n]), model.outputNames.map((n) => batch.ys[n]), { epochs: 1, verbose: 0 });
  tf.dispose([...Object.values(batch.xs), ...Object.values(batch.ys)]);
  const dir = path.join(scratch(), 'pets-model');
  await saveModelDir(model, dir, { 'preprocessing.json': JSON.stringify(data.preprocessing) });
  model.dispose();
  return dir;
}
