/**
 * A TF.js layers model on disk (model.json + weight shards), read with plain fs: its topology as a
 * list of layers, its input shape, a content hash, and its weights as typed arrays. Reading is
 * synchronous so a block can build from it inside build(), and validation can inspect the topology
 * without a tensor engine. Read once per file and version (path, size, mtime).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

/** Which spec key a problem belongs to: validation reports it at that key's line. */
export type BackboneKey = 'model' | 'output_layer' | 'input';

export class BackboneError extends Error {
  constructor(readonly key: BackboneKey, message: string) {
    super(message);
    this.name = 'BackboneError';
  }
}

/** One layer as model.json writes it (Keras's pythonic form); inbound: [layer, node, tensor] per input of each call. */
export interface LayerEntry {
  name: string;
  className: string;
  config: Record<string, unknown>;
  inbound: Array<Array<[string, number, number]>>;
}

export interface BackboneTopology {
  file: string;
  layers: LayerEntry[];
  /** The input layer's name and per-example shape. */
  input: { name: string; shape: Array<number | null> };
  /** The layer whose output is the backbone's default feature: the one before the classifier. */
  defaultOutput: string;
  /** sha256 of model.json and every weight shard: the feature cache's key. */
  hash: string;
}

export interface BackboneWeights {
  /** By weight name (`layer/kernel`), as the manifest names them. */
  values: Map<string, { shape: number[]; data: Float32Array | Int32Array }>;
}

type Json = Record<string, any>;

interface MemoEntry { stamp: string; topology: BackboneTopology; weights?: BackboneWeights }
const memo = new Map<string, MemoEntry>();

function entryOf(file: string): MemoEntry {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new BackboneError('model', `file not found: ${file}`);
  }
  const stamp = `${stat.size}:${stat.mtimeMs}`;
  const cached = memo.get(file);
  if (cached && cached.stamp === stamp) return cached;
  const entry: MemoEntry = { stamp, topology: parseTopology(file) };
  memo.set(file, entry);
  return entry;
}

/** The topology of the model at `file` (an absolute path to its model.json). */
export function readTopology(file: string): BackboneTopology {
  return entryOf(file).topology;
}

/** The weights, decoded once per file version and kept as typed arrays (no tensors outlive a build). */
export function readWeights(file: string): BackboneWeights {
  const entry = entryOf(file);
  entry.weights ??= decodeWeights(file, readJson(file));
  return entry.weights;
}

function readJson(file: string): Json {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new BackboneError('model', `${file} is not a TF.js model.json: ${(err as Error).message.split('\n')[0]}`);
  }
}

const shardPaths = (file: string, json: Json): string[] =>
  ((json.weightsManifest ?? []) as Json[]).flatMap((group) => (group.paths as string[]).map((p) => path.resolve(path.dirname(file), p)));

function parseTopology(file: string): BackboneTopology {
  const json = readJson(file);
  if (json.format === 'graph-model' || json.modelTopology?.node !== undefined) {
    throw new BackboneError('model', `${file} is a graph model (a converted SavedModel or TF Hub module); only layers models are supported: convert a Keras model with tensorflowjs_converter --input_format keras (or keras_saved_model) --output_format tfjs_layers_model`);
  }
  const top = (json.modelTopology?.model_config ?? json.modelTopology) as Json | undefined;
  if (!top || typeof top.class_name !== 'string') throw new BackboneError('model', `${file} has no modelTopology: not a TF.js layers model`);
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(file));
  for (const shard of shardPaths(file, json)) {
    if (!fs.existsSync(shard)) throw new BackboneError('model', `weights file not found: ${shard} (named by ${file})`);
    hash.update(fs.readFileSync(shard));
  }
  const layers = top.class_name === 'Sequential' ? sequentialLayers(top) : functionalLayers(top, file);
  const inputLayer = layers.find((l) => l.className === 'InputLayer');
  const shape = (inputLayer?.config.batch_input_shape ?? inputLayer?.config.batch_shape) as Array<number | null> | undefined;
  if (!inputLayer || !shape) throw new BackboneError('model', `${file}: the model declares no input shape`);
  return { file, layers, input: { name: inputLayer.name, shape: shape.slice(1) }, defaultOutput: beforeClassifier(layers), hash: hash.digest('hex') };
}

/** A Sequential model's layers chained, with an explicit input layer in front. */
function sequentialLayers(top: Json): LayerEntry[] {
  const raw = (Array.isArray(top.config) ? top.config : top.config.layers) as Json[];
  const layers: LayerEntry[] = [];
  let previous: string | undefined;
  for (const l of raw) {
    const config = { ...l.config } as Json;
    if (previous === undefined && l.class_name !== 'InputLayer') {
      const shape = config.batch_input_shape ?? config.batch_shape;
      previous = `${config.name}_input`;
      layers.push({ name: previous, className: 'InputLayer', config: { name: previous, batch_input_shape: shape, dtype: config.dtype ?? 'float32', sparse: false }, inbound: [] });
    }
    delete config.batch_input_shape;
    delete config.batch_shape;
    layers.push({ name: config.name, className: l.class_name, config, inbound: previous === undefined ? [] : [[[previous, 0, 0]]] });
    previous = config.name;
  }
  return layers;
}

function functionalLayers(top: Json, file: string): LayerEntry[] {
  const raw = top.config?.layers as Json[] | undefined;
  if (!Array.isArray(raw)) throw new BackboneError('model', `${file}: unknown model class "${top.class_name}"`);
  const inputs = (top.config.input_layers ?? []) as unknown[];
  if (inputs.length > 1) throw new BackboneError('model', `${file} has ${inputs.length} inputs; a backbone takes one image input`);
  return raw.map((l) => ({
    name: l.name ?? l.config.name,
    className: l.class_name,
    config: l.config,
    inbound: ((l.inbound_nodes ?? []) as unknown[][]).map((node) => (node as unknown[][]).map((t) => [t[0] as string, t[1] as number, t[2] as number])),
  }));
}

/** Layers that only turn features into class scores, stripped from the end for the default output. */
const CLASSIFIER = new Set(['Dense', 'Activation', 'Softmax', 'Dropout']);

/**
 * The default feature layer: walk back from the last layer over the classifier (activations, one
 * dense layer, dropout). A backbone without a dense top (include_top=False) keeps its output.
 */
function beforeClassifier(layers: LayerEntry[]): string {
  const byName = new Map(layers.map((l) => [l.name, l]));
  let current = layers[layers.length - 1];
  let dense = 0;
  while (current && CLASSIFIER.has(current.className) && current.inbound.length === 1 && current.inbound[0].length === 1) {
    if (current.className === 'Dense' && ++dense > 1) break;
    current = byName.get(current.inbound[0][0][0])!;
  }
  return dense === 0 ? layers[layers.length - 1].name : current.name;
}

function decodeWeights(file: string, json: Json): BackboneWeights {
  const specs = ((json.weightsManifest ?? []) as Json[]).flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[];
  const bytes = Buffer.concat(shardPaths(file, json).map((p) => fs.readFileSync(p)));
  const tensors = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), specs);
  const values: BackboneWeights['values'] = new Map();
  for (const [name, t] of Object.entries(tensors)) {
    values.set(name, { shape: t.shape, data: t.dataSync() as Float32Array | Int32Array });
    t.dispose();
  }
  return { values };
}
