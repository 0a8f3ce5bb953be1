/** A loaded model's layers as plain data: what diagrams, summaries and TensorBoard graphs are drawn from. */
import type * as tfl from '@tensorflow/tfjs-layers';

export type Shape = Array<number | null>;

export interface LayerInfo {
  name: string;
  className: string;
  /** Names of the layers feeding this one, in order (a shared layer: all its callers' inputs). */
  inbound: string[];
  outputShapes: Shape[];
  params: number;
  /** True for the model's inputs and outputs (heads). */
  isInput: boolean;
  isOutput: boolean;
}

export function modelLayers(model: tfl.LayersModel): LayerInfo[] {
  const outputs = new Set(model.outputNames);
  return model.layers.map((layer) => {
    const inbound = [...new Set(layer.inboundNodes.flatMap((n) => n.inboundLayers.map((l) => l.name)))];
    const shape = layer.outputShape as Shape | Shape[];
    const outputShapes = Array.isArray(shape[0]) || shape.length === 0 ? (shape as Shape[]) : [shape as Shape];
    return { name: layer.name, className: layer.getClassName(), inbound, outputShapes, params: layer.countParams(), isInput: inbound.length === 0, isOutput: outputs.has(layer.name) };
  });
}

/** "(None, 32, 32, 3)" the way Keras prints shapes, never cut short. */
export const shapeText = (s: Shape) => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
export const shapesText = (shapes: Shape[]) => shapes.map(shapeText).join(', ');
