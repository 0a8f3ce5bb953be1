/**
 * A profile of the training data (pandas-profiling's overview, small): per column its type, missing
 * and distinct values, a histogram or the most frequent values, and which input or head reads it.
 * Tables are profiled from the file as written; generated data (source: random, image folders)
 * from the training rows as the model sees them.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ProblemLog } from '../data/errors';
import { openTable } from '../data/read-table';
import type { DataSplit, PreparedData } from '../data/source';
import { asLabel, isMissing, parseNumber } from '../data/values';
import type { Spec } from '../spec/types';

/** Bins of a numeric column's histogram. */
const BINS = 20;
/** Most frequent values shown for a categorical column. */
const TOP = 10;
/** Rows read for a profile: enough for the shape of a distribution, bounded in time. */
const MAX_ROWS = 5000;
/** A column with at most this many distinct values, or few per row, is categorical. */
const CATEGORY_DISTINCT = 30;

export interface ColumnProfile {
  name: string;
  /** number, category, text, image (a path column or image pixels), tokens (text token ids). */
  kind: 'number' | 'category' | 'text' | 'image' | 'tokens';
  /** "input photo", "head label", or "" for a column no part of the spec reads. */
  role: string;
  rows: number;
  missing: number;
  distinct: number;
  histogram?: { min: number; max: number; counts: number[]; mean: number; std: number };
  top?: Array<[string, number]>;
}

export interface DataProfile {
  source: string;
  rows: { train: number; validation: number; test?: number };
  columns: ColumnProfile[];
}

export async function profileData(spec: Spec, data: PreparedData): Promise<DataProfile> {
  const rows = { train: data.train.rows, validation: data.validation.rows, ...(data.test ? { test: data.test.rows } : {}) };
  const source = typeof spec.data.source === 'string' ? spec.data.source : 'image folder';
  const columns = typeof spec.data.source === 'string' && spec.data.source !== 'random' ? await profileTable(spec, path.resolve(path.dirname(spec.file), spec.data.source)) : await profileSplit(data, data.train);
  return { source, rows, columns };
}

/** Which input or head reads each table column. */
function rolesOf(spec: Spec): Map<string, string> {
  const roles = new Map<string, string>();
  for (const [name, input] of Object.entries(spec.inputs)) {
    const cols = Array.isArray(input.columns) ? input.columns : [input.column ?? name];
    for (const c of cols) roles.set(c, `input ${name}`);
  }
  for (const [name, head] of Object.entries(spec.heads)) roles.set(head.column ?? name, `head ${name}`);
  return roles;
}

async function profileTable(spec: Spec, file: string): Promise<ColumnProfile[]> {
  const table = await openTable(file, new ProblemLog());
  if (!table) return [];
  const cells: unknown[][] = table.columns.map(() => []);
  for await (const chunk of table.chunks()) {
    for (const row of chunk) if (!row.error && cells[0].length < MAX_ROWS) row.cells.forEach((v, i) => cells[i]?.push(v));
    if (cells[0].length >= MAX_ROWS) break;
  }
  const roles = rolesOf(spec);
  const images = new Set(Object.entries(spec.inputs).filter(([, i]) => i.type === 'image').map(([n, i]) => i.column ?? n));
  return table.columns.map((name, i) => profileCells(name, cells[i], roles.get(name) ?? '', images.has(name)));
}

function profileCells(name: string, values: unknown[], role: string, image: boolean): ColumnProfile {
  const present = values.filter((v) => !isMissing(v));
  const labels = present.map(asLabel);
  const counts = countValues(labels);
  const base = { name, role, rows: values.length, missing: values.length - present.length, distinct: counts.length };
  const numbers = present.map(parseNumber);
  if (!image && present.length > 0 && numbers.every(Number.isFinite) && counts.length > 2) return { ...base, kind: 'number', histogram: histogram(numbers) };
  const kind = image ? 'image' : counts.length <= CATEGORY_DISTINCT || counts.length < present.length / 2 ? 'category' : 'text';
  return { ...base, kind, top: counts.slice(0, TOP) };
}

function countValues(labels: string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function histogram(values: ArrayLike<number>, bins = BINS): NonNullable<ColumnProfile['histogram']> {
  let min = Infinity, max = -Infinity, sum = 0, sq = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    min = Math.min(min, v), max = Math.max(max, v), sum += v, sq += v * v;
  }
  const n = values.length;
  const counts = new Array<number>(bins).fill(0);
  const width = max > min ? (max - min) / bins : 1;
  for (let i = 0; i < n; i++) counts[Math.min(bins - 1, Math.floor((values[i] - min) / width))]++;
  const mean = n ? sum / n : NaN;
  return { min, max, counts, mean, std: n ? Math.sqrt(Math.max(0, sq / n - mean * mean)) : NaN };
}

/** Generated data: each structured column, each image's pixels, each text's token count, each target. */
async function profileSplit(data: PreparedData, split: DataSplit): Promise<ColumnProfile[]> {
  const n = Math.min(split.rows, MAX_ROWS);
  const batch = await split.batch(Int32Array.from({ length: n }, (_, i) => i));
  try {
    const inputs = await Promise.all(Object.values(data.inputs).map(async (info) => {
      const values = await batch.xs[info.name].data();
      if (info.type === 'structured') {
        const width = info.shape[info.shape.length - 1];
        return Array.from({ length: width }, (_, c) => numberColumn(`${info.name}[${c}]`, `input ${info.name}`, Array.from({ length: n }, (_, r) => values[r * width + c])));
      }
      if (info.type === 'image') return [{ ...numberColumn(`${info.name} pixels`, `input ${info.name}`, values), kind: 'image' as const, rows: n }];
      const width = values.length / n;
      const lengths = Array.from({ length: n }, (_, r) => Array.from(values.subarray(r * width, (r + 1) * width)).filter((t) => t !== 0).length);
      return [{ ...numberColumn(`${info.name} tokens`, `input ${info.name}`, lengths), kind: 'tokens' as const }];
    }));
    const heads = await Promise.all(Object.values(data.heads).map(async (info) => {
      const values = await batch.ys[info.name].data();
      const width = values.length / n;
      if (info.type === 'regression') return numberColumn(info.name, `head ${info.name}`, Array.from({ length: n }, (_, r) => values[r * width]));
      const names = info.classNames ?? Array.from({ length: info.classes ?? Math.max(2, width) }, (_, k) => String(k));
      const labels = Array.from({ length: n }, (_, r) => (width === 1 ? names[values[r] > 0.5 ? 1 : 0] : names[argmax(values, r * width, width)]));
      const top = countValues(labels);
      return { name: info.name, kind: 'category' as const, role: `head ${info.name}`, rows: n, missing: 0, distinct: top.length, top: top.slice(0, TOP) };
    }));
    return [...inputs.flat(), ...heads];
  } finally {
    tf.dispose([...Object.values(batch.xs), ...Object.values(batch.ys)]);
  }
}

function numberColumn(name: string, role: string, values: ArrayLike<number>): ColumnProfile {
  return { name, kind: 'number', role, rows: values.length, missing: 0, distinct: new Set(Array.from(values)).size, histogram: histogram(values) };
}

function argmax(values: ArrayLike<number>, from: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (values[from + k] > values[from + best]) best = k;
  return best;
}
