/**
 * A backbone's layers added to our functional graph one by one (not nested as a model), so the
 * exported model is a flat graph of standard layers that plain tfjs loads, and its weights copy by
 * name like every other block's. Each build makes fresh layers from the saved configs and sets the
 * saved weights: trials never share (or dispose) each other's variables.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Sym } from '../blocks/block';
import { pinInference } from '../blocks/normalization';
import { BackboneError, BackboneTopology, BackboneWeights, LayerEntry } from './model-file';

export interface InlineOptions {
  /** Prefix of every layer name (the block's name), so two backbones never clash with each other or the head. */
  prefix: string;
  outputLayer: string;
  /** How many weighted layers, counted back from the output layer, train; the rest are frozen. */
  trainableTop: number;
}

/** Applies the backbone's layers up to outputLayer to x; returns that layer's output. */
export function inlineBackbone(top: BackboneTopology, weights: BackboneWeights, x: Sym, opts: InlineOptions): Sym {
  const needed = ancestors(top, opts.outputLayer);
  const outputs = new Map<string, Sym[]>([[top.input.name, [x]]]);
  const built: Array<{ entry: LayerEntry; layer: tfl.layers.Layer }> = [];
  for (const entry of top.layers) {
    if (!needed.has(entry.name) || entry.className === 'InputLayer') continue;
    const layer = makeLayer(entry, `${opts.prefix}_${entry.name}`);
    // Batch normalisation and dropout act as at inference, as Keras recommends for pretrained
    // layers, so training (frozen or not) sees the same features the cache holds.
    pinInference(layer);
    const calls = entry.inbound.map((node) => node.map(([from, n, t]) => sourceOf(outputs, from, n, t)));
    outputs.set(entry.name, calls.map((args) => layer.apply(args.length === 1 ? args[0] : args) as Sym));
    built.push({ entry, layer });
  }
  setWeights(built, weights, top.file);
  freeze(built, opts.trainableTop);
  return outputs.get(opts.outputLayer)![0];
}

/** The layers the output depends on (so a classifier after it is never built). */
function ancestors(top: BackboneTopology, output: string): Set<string> {
  const byName = new Map(top.layers.map((l) => [l.name, l]));
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    byName.get(name)?.inbound.flat().forEach(([from]) => visit(from));
  };
  visit(output);
  return seen;
}

function sourceOf(outputs: Map<string, Sym[]>, layer: string, node: number, tensor: number): Sym {
  const out = outputs.get(layer)?.[node];
  if (!out) throw new BackboneError('model', `layer "${layer}" is used before it is defined`);
  return Array.isArray(out) ? (out as Sym[])[tensor] : out;
}

/**
 * A fresh layer from its saved config, as tfjs's own loader makes it: keys turned from Keras's
 * snake_case to tfjs's camelCase, then the registered class's fromConfig.
 */
function makeLayer(entry: LayerEntry, name: string): tfl.layers.Layer {
  const registered = tf.serialization.SerializationMap.getMap().classNameMap[entry.className];
  if (!registered) throw new BackboneError('model', `layer "${entry.name}" is a ${entry.className}, which TensorFlow.js does not know (a custom layer)`);
  const [cls, fromConfig] = registered;
  const config = toTs({ ...entry.config, name }) as tf.serialization.ConfigDict;
  const layer = fromConfig(cls, config) as unknown as tfl.layers.Layer;
  // Zeros instead of random initial values: the saved weights replace them, and no random numbers
  // are drawn, so the head's initialisation is the same with and without the feature cache.
  layer.setFastWeightInitDuringBuild(true);
  return layer;
}

/** tfjs-layers' convertPythonicToTs (not exported): keys and string values to camelCase, names kept. */
function toTs(value: unknown, key?: string): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return camel(value);
  if (Array.isArray(value)) return value.map((v, i) => (i === 0 && typeof v === 'string' && (key === 'inboundNodes' || key === 'inputLayers' || key === 'outputLayers') ? v : toTs(v, key)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === 'name' && typeof v === 'string') out[k] = v;
    else out[camel(k)] = toTs(v, camel(k));
  }
  return out;
}

const camel = (s: string) => (s.length <= 1 || !s.includes('_') ? s : s.replace(/[_]+(\w|$)/g, (_m, c: string) => c.toUpperCase()));

/** Each built layer's weights from the file, matched by name (`<layer>/<weight>`), in the layer's order. */
function setWeights(built: Array<{ entry: LayerEntry; layer: tfl.layers.Layer }>, weights: BackboneWeights, file: string): void {
  for (const { entry, layer } of built) {
    if (layer.weights.length === 0) continue;
    const values = layer.weights.map((w) => {
      const suffix = w.originalName.slice(w.originalName.lastIndexOf(layer.name + '/') + layer.name.length + 1);
      const saved = weights.values.get(`${entry.name}/${suffix}`);
      if (!saved) throw new BackboneError('model', `${file}: no saved weight "${entry.name}/${suffix}"`);
      if (saved.shape.join() !== w.shape.join()) throw new BackboneError('model', `${file}: weight "${entry.name}/${suffix}" is [${saved.shape}], its layer needs [${w.shape}]`);
      return saved;
    });
    tf.tidy(() => layer.setWeights(values.map((v) => tf.tensor(v.data, v.shape))));
  }
}

/** Only the top `trainableTop` layers that hold weights (counted back from the output) train. */
function freeze(built: Array<{ layer: tfl.layers.Layer }>, trainableTop: number): void {
  let left = trainableTop;
  for (let i = built.length - 1; i >= 0; i--) {
    const { layer } = built[i];
    const weighted = layer.weights.length > 0;
    layer.trainable = weighted && left > 0;
    if (weighted) left--;
  }
}
