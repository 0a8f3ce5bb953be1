/** Shared by the data tests: specs for tables written in code, scratch folders, tiny images. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import type { DataSpec, HeadSpec, Spec } from '../spec/types';
import type { WrittenInputSpec } from '../inputs/registry';
import type { Batch } from './source';

/** The repository root: the nearest folder above this file holding package.json (works from any build folder). */
export const ROOT = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();
export const FIXTURES = path.join(ROOT, 'fixtures');

export function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'automm-data-'));
}

/** A validated-looking spec whose data paths are relative to `dir`. */
export function tableSpec(dir: string, parts: { data: Partial<DataSpec> & { source: DataSpec['source'] }; inputs: Record<string, WrittenInputSpec>; heads: Record<string, HeadSpec>; seed?: number }): Spec {
  const inputs = Object.fromEntries(Object.entries(parts.inputs).map(([k, i]) => [k, i.type === 'text' ? { max_tokens: 100, sequence_length: 8, ...i } : i]));
  return {
    file: path.join(dir, 'spec.yaml'),
    name: 'data-test',
    seed: parts.seed ?? 0,
    data: { rows: 100, validation_split: 0.25, on_bad_row: 'error', ...parts.data },
    inputs,
    blocks: {},
    heads: parts.heads,
    loss_weights: Object.fromEntries(Object.keys(parts.heads).map((h) => [h, 1])),
    search: { max_trials: 1, tuner: 'greedy', objective: { metric: 'val_loss', direction: 'min' }, epochs: 1, batch_size: 8, backend: 'cpu' },
    basic: true,
  } as Spec;
}

export function write(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** A flat-coloured image file; the format follows the extension. */
export async function tinyImage(file: string, rgb: [number, number, number], width = 8, height = 8): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const img = sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });
  const ext = path.extname(file);
  await (ext === '.jpg' ? img.jpeg() : ext === '.webp' ? img.webp({ lossless: true }) : ext === '.gif' ? img.gif() : img.png()).toFile(file);
}

/** A batch's tensors as plain arrays, disposing them. */
export function read(batch: Batch): { xs: Record<string, number[]>; ys: Record<string, number[]> } {
  const plain = (ts: Batch['xs']) => Object.fromEntries(Object.entries(ts).map(([k, t]) => [k, Array.from(t.dataSync())]));
  const out = { xs: plain(batch.xs), ys: plain(batch.ys) };
  for (const t of [...Object.values(batch.xs), ...Object.values(batch.ys)]) t.dispose();
  return out;
}

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);
