/**
 * The model a server holds: its preprocessing replayed on request rows (images from uploaded bytes,
 * never from paths), its outputs decoded by head, and concurrent requests micro-batched.
 */
import * as path from 'node:path';
import { decodeImage } from '../data/image';
import { PixelSource, RawRowEncoder, rawRowEncoder } from '../data/raw-rows';
import { inputColumns } from '../data/input-writers';
import type { Preprocessing } from '../data/source';
import type { StructuredFeature } from '../data/structured';
import { loadModelWithPreprocessing } from '../export/predict';
import { Prediction, predictArrays } from '../export/outputs';
import { BatcherOptions, MicroBatcher } from './batcher';

export interface ModelOptions {
  /** The name in /v1/models/<name>; default: the model folder's name (its parent's for export/ and best/). */
  name?: string;
  /** Images with more pixels are refused before they are decoded. */
  maxPixels: number;
  batch: BatcherOptions;
}

export interface ServedModel {
  readonly name: string;
  readonly preprocessing: Preprocessing;
  readonly encoder: RawRowEncoder;
  readonly batcher: MicroBatcher<Prediction>;
  /** Rows to predictions; a DataError (every problem, each named by `where`) when rows are bad. */
  predict(rows: ReadonlyArray<Record<string, unknown>>, where: (i: number) => string): Promise<Prediction[]>;
  metadata(): ModelMetadata;
  dispose(): void;
}

export interface ModelMetadata {
  inputs: Array<{ name: string; type: string; columns: Array<{ name: string; kind: string; categories?: string[]; shape?: number[] }> }>;
  heads: Array<{ name: string; type: string; classes?: string[]; multi_label?: boolean; units?: number }>;
}

export async function loadServedModel(dir: string, options: ModelOptions): Promise<ServedModel> {
  const { model, preprocessing } = await loadModelWithPreprocessing(dir);
  const encoder = rawRowEncoder(preprocessing, uploadedPixels(options.maxPixels));
  const batcher = new MicroBatcher<Prediction>(async (arrays) => predictArrays(model, preprocessing, arrays), options.batch);
  // The metadata never changes while a model is served: described once, not per request.
  const metadata = describe(preprocessing);
  return {
    name: options.name ?? defaultName(dir),
    preprocessing,
    encoder,
    batcher,
    async predict(rows, where) {
      const arrays = await encoder.encode(rows, where);
      return batcher.submit(arrays, rows.length);
    },
    metadata: () => metadata,
    dispose: () => model.dispose(),
  };
}

/** runs/shop/export -> shop: the folder names automm writes say nothing about the model. */
function defaultName(dir: string): string {
  const base = path.basename(path.resolve(dir));
  return base === 'export' || base === 'best' ? path.basename(path.dirname(path.resolve(dir))) : base;
}

/** Image cells of a request: uploaded bytes or TensorFlow Serving's {"b64": ...}; a string (a path) is refused. */
function uploadedPixels(maxPixels: number): PixelSource {
  return async (value, shape) => {
    const bytes = Buffer.isBuffer(value) ? value : isB64(value) ? Buffer.from(value.b64, 'base64') : undefined;
    if (!bytes) throw new Error('expected an uploaded image file or {"b64": "<base64 image>"}; paths are never read');
    try {
      return await decodeImage(bytes, shape, maxPixels);
    } catch (err) {
      const first = (err as Error).message.split('\n')[0];
      throw new Error(/pixel limit/i.test(first) ? `image has more than ${maxPixels} pixels (--max-pixels)` : `image cannot be decoded: ${first}`);
    }
  };
}

const isB64 = (v: unknown): v is { b64: string } => typeof v === 'object' && v !== null && typeof (v as { b64?: unknown }).b64 === 'string';

function describe(p: Preprocessing): ModelMetadata {
  const inputs = Object.values(p.inputs).map((i) => {
    const saved = i as typeof i & { features?: StructuredFeature[]; column?: string; sequenceLength?: number };
    const columns = saved.features
      ? saved.features.map((f) => (f.kind === 'categorical' ? { name: f.column, kind: f.kind, categories: f.vocabulary } : { name: f.column, kind: f.kind }))
      : inputColumns(i).map((name) => ({ name, kind: i.type, ...(i.type === 'image' ? { shape: i.shape } : {}) }));
    return { name: i.name, type: i.type, columns };
  });
  const heads = Object.values(p.heads).map((h) =>
    h.type === 'regression' ? { name: h.name, type: h.type, units: h.units ?? 1 } : { name: h.name, type: h.type, classes: h.classNames, multi_label: !!h.multiLabel },
  );
  return { inputs, heads };
}
