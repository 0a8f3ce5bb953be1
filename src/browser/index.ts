/**
 * automm in a web page (the bundle `automm export` writes as automm-predictor.js; TensorFlow.js
 * comes from the page as the global `tf`):
 *
 *   const p = await automm.loadPredictor('model/');
 *   const [first] = await p.predict([{ photo_path: document.querySelector('img'), review: 'purrs a lot', ... }]);
 *   first.label.label, first.label.probabilities.cat, first.fee.value
 *
 * Rows are preprocessed by the same code as on Node (tokenising, one-hot, standardising, pixel
 * scaling), so the same row gives the same predictions.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { rawRowEncoder } from '../data/raw-rows';
import type { Preprocessing } from '../data/source';
import { Prediction, predictArrays } from '../export/outputs';
import { browserPixels } from './pixels';

export type { ClassPrediction, Prediction, ValuePrediction } from '../export/outputs';

export interface BrowserPredictor {
  readonly model: tfl.LayersModel;
  readonly preprocessing: Preprocessing;
  /** The columns rows must have. */
  readonly columns: string[];
  predict(rows: Array<Record<string, unknown>>): Promise<Prediction[]>;
  dispose(): void;
}

/** `url`: the exported folder (model.json, weights.bin, preprocessing.json), relative to the page or absolute. */
export async function loadPredictor(url: string): Promise<BrowserPredictor> {
  // Relative to the page (or, in a worker, to the worker's script).
  const base = new URL(url.endsWith('/') ? url : `${url}/`, typeof document === 'undefined' ? location.href : document.baseURI).href;
  const [model, preprocessing] = await Promise.all([tfl.loadLayersModel(`${base}model.json`), fetchJson<Preprocessing>(`${base}preprocessing.json`)]);
  const encoder = rawRowEncoder(preprocessing, browserPixels);
  return {
    model,
    preprocessing,
    columns: encoder.columns,
    predict: async (rows) => predictArrays(model, preprocessing, await encoder.encode(rows)),
    dispose: () => model.dispose(),
  };
}

async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}
