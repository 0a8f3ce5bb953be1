/**
 * Frozen backbones run once per image: their features are computed (or read from the project's
 * cache), and trials train a graph where each cached block is an input of features. The features
 * come from the same layers the block adds to the graph, so training on them gives the results of
 * running the backbone every epoch, at a fraction of the time.
 */
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { makeContext, type Params } from '../blocks/block';
import { pretrained } from '../blocks/pretrained';
import type { Plan } from '../graph/plan';
import type { Resolution } from '../graph/resolve';
import type { DataSplit, InputInfo, PreparedData } from '../data/source';
import { FeatureStore } from './feature-store';
import { arraySplit, type Column } from '../data/synth';
import { readTopology } from './model-file';

/** A frozen pretrained block that reads an image input directly: its features depend on the image only. */
export interface CachedBlock {
  name: string;
  input: string;
  params: Params;
}

export function cacheableBlocks(plan: Plan, resolution: Pick<Resolution, 'blocks'>): CachedBlock[] {
  return plan.blocks
    .filter((b) => b.spec.type === 'pretrained' && plan.inputs.includes(b.inputs[0]) && !resolution.blocks[b.name].trainable)
    .map((b) => ({ name: b.name, input: b.inputs[0], params: { ...resolution.blocks[b.name], fine_tune_layers: 0 } }));
}

/** Images sent through a backbone in this process (tests read it to see the cache at work). */
export const featureCounters = { computed: 0 };

interface Extractor {
  key: string;
  model: tfl.LayersModel;
  shape: number[];
  store: FeatureStore;
}

const extractors = new Map<string, Extractor>();
let views = new WeakMap<DataSplit, Map<string, DataSplit>>();

/** Forgets what this process holds in memory (the files stay), as a new process would. */
export function forgetFeatureMemory(): void {
  extractors.forEach((e) => e.model.dispose());
  extractors.clear();
  views = new WeakMap();
}

/** The block's backbone as a model from its image input to its features, with the cache for them. */
function extractorFor(plan: Plan, block: CachedBlock, image: InputInfo, cacheDir: string): Extractor {
  const top = readTopology(path.resolve(plan.dir, block.params.model));
  const identity = { model: top.hash, output_layer: block.params.output_layer ?? top.defaultOutput, preprocess: block.params.preprocess ?? null, input: image.shape };
  const key = crypto.createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 24);
  const known = extractors.get(`${cacheDir}|${key}`);
  if (known) return known;
  const input = tfl.input({ shape: image.shape, name: image.name });
  const output = pretrained.build(makeContext(block.name, true, undefined, new Map(), undefined, plan.dir), [input], block.params);
  const shape = output.shape.slice(1) as number[];
  const store = new FeatureStore(cacheDir, key, shape.reduce((a, b) => a * b, 1), { file: top.file, ...identity, featureShape: shape });
  const extractor = { key, model: tfl.model({ inputs: input, outputs: output }), shape, store };
  extractors.set(`${cacheDir}|${key}`, extractor);
  return extractor;
}

export interface FeatureView {
  plan: Plan;
  data: PreparedData;
}

/**
 * The plan and data a trial trains on when these blocks are cached: each block becomes an input of
 * its features, and image inputs that only fed them are left out.
 */
export async function featureView(plan: Plan, data: PreparedData, blocks: CachedBlock[], cacheDir: string): Promise<FeatureView> {
  const ex = blocks.map((b) => extractorFor(plan, b, data.inputs[b.input], cacheDir));
  const cached = new Set(blocks.map((b) => b.name));
  const rest = plan.blocks.filter((b) => !cached.has(b.name));
  const read = new Set([...rest.flatMap((b) => b.inputs), ...plan.heads.map((h) => h.input)]);
  const kept = plan.inputs.filter((i) => read.has(i));
  const inputs: Record<string, InputInfo> = Object.fromEntries(kept.map((i) => [i, data.inputs[i]]));
  blocks.forEach((b, k) => (inputs[b.name] = { name: b.name, type: ex[k].shape.length === 1 ? 'structured' : 'image', shape: ex[k].shape, dtype: 'float32' }));
  const viewPlan: Plan = { ...plan, inputs: [...kept, ...blocks.map((b) => b.name)], blocks: rest };
  const split = (s: DataSplit) => viewOf(s, blocks, ex, kept);
  return { plan: viewPlan, data: { ...data, inputs, train: await split(data.train), validation: await split(data.validation), test: undefined } };
}

async function viewOf(split: DataSplit, blocks: CachedBlock[], ex: Extractor[], kept: string[]): Promise<DataSplit> {
  const key = ex.map((e) => e.key).join('+') + '|' + kept.join(',');
  const known = views.get(split)?.get(key);
  if (known) return known;
  const view = materialise(await collect(split, blocks, ex, kept));
  if (!views.has(split)) views.set(split, new Map());
  views.get(split)!.set(key, view);
  return view;
}

/** A split's rows held in memory: features per cached block, kept inputs and targets. */
interface Columns {
  rows: number;
  xs: Record<string, Column>;
  ys: Record<string, Column>;
}

/** Rows read per pass step: the batch the backbone runs on when features are missing. */
const PASS_BATCH = 64;

/** One pass over the split: images hashed, missing features computed under the store's lock. */
async function collect(split: DataSplit, blocks: CachedBlock[], ex: Extractor[], kept: string[]): Promise<Columns> {
  const out: Columns = { rows: split.rows, xs: {}, ys: {} };
  blocks.forEach((b, k) => (out.xs[b.name] = column(split.rows, ex[k].shape, 'float32')));
  for (let start = 0; start < split.rows; start += PASS_BATCH) {
    const indices = Array.from({ length: Math.min(PASS_BATCH, split.rows - start) }, (_, i) => start + i);
    const batch = await split.batch(indices);
    try {
      for (const name of kept) copyRows(out.xs, name, batch.xs[name], start, split.rows);
      for (const [name, t] of Object.entries(batch.ys)) copyRows(out.ys, name, t, start, split.rows);
      for (let k = 0; k < blocks.length; k++) await fillFeatures(ex[k], batch.xs[blocks[k].input], out.xs[blocks[k].name], start);
    } finally {
      tf.dispose([...Object.values(batch.xs), ...Object.values(batch.ys)]);
    }
  }
  return out;
}

const column = (rows: number, shape: number[], dtype: 'float32' | 'int32'): Column => {
  const size = rows * shape.reduce((a, b) => a * b, 1);
  return { shape, dtype, data: dtype === 'int32' ? new Int32Array(size) : new Float32Array(size) };
};

function copyRows(into: Record<string, Column>, name: string, t: tf.Tensor, start: number, rows: number): void {
  into[name] ??= column(rows, t.shape.slice(1), t.dtype === 'int32' ? 'int32' : 'float32');
  into[name].data.set(t.dataSync() as Float32Array | Int32Array, start * (t.size / t.shape[0]));
}

/** Each image's features from the store; the missing ones computed by the backbone and added. */
async function fillFeatures(ex: Extractor, images: tf.Tensor, into: Column, start: number): Promise<void> {
  const n = images.shape[0];
  const pixels = images.dataSync() as Float32Array;
  const per = pixels.length / n;
  const hashes = Array.from({ length: n }, (_, i) => crypto.createHash('sha1').update(new Uint8Array(pixels.buffer, pixels.byteOffset + i * per * 4, per * 4)).digest('hex'));
  const absent = () => hashes.map((h, i) => (ex.store.entries.has(h) ? -1 : i)).filter((i) => i >= 0);
  if (absent().length > 0) {
    await ex.store.locked(async () => {
      const rows = absent();
      if (rows.length === 0) return;
      const features = tf.tidy(() => (ex.model.predict(tf.gather(images, rows)) as tf.Tensor).dataSync() as Float32Array);
      const size = ex.store.featureSize;
      ex.store.add(rows.map((r, j) => [hashes[r], features.slice(j * size, (j + 1) * size)]));
      featureCounters.computed += rows.length;
    });
  }
  hashes.forEach((h, i) => into.data.set(ex.store.entries.get(h)!, (start + i) * ex.store.featureSize));
}

/** A split that cuts batches from columns in memory. */
function materialise(cols: Columns): DataSplit {
  return arraySplit(cols.xs, cols.ys, 0, cols.rows);
}
