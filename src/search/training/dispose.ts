import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Frees a model's weights and its optimizer's slots (tfjs keeps both alive otherwise). */
export function disposeModel(model: tfl.LayersModel): void {
  const optimizer = (model as unknown as { optimizer?: tf.Optimizer }).optimizer;
  optimizer?.dispose();
  model.dispose();
}
