/**
 * A saved model's layer graph (model.json) as a TensorFlow GraphDef: one node per layer, its class
 * as the op and its inbound layers as inputs, so TensorBoard's Graphs tab draws the architecture.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { modelLayers } from '../report/layers';

export function graphDefOf(model: tfl.LayersModel): Record<string, unknown> {
  const node = modelLayers(model).map((l) => ({
    name: l.name,
    op: l.className,
    input: l.inbound,
    attr: { _output_shapes: { list: { shape: l.outputShapes.map((s) => ({ dim: s.map((d) => ({ size: d ?? -1 })) })) } } },
  }));
  return { node, versions: { producer: 1 } };
}
