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
import type { DataSplit, HeadInfo, InputInfo, PreparedData } from '../data/source';
import { asLabel, isMissing, parseNumber } from '../data/values';
import type { Spec } from '../spec/types';
import { classNamesOf, predictedClass } from '../heads/data/classes';

/** Bins of a numeric column's histogram. */
const BINS = 20;
/** Most frequent values shown for a categorical column. */
const TOP = 10;
/** Rows read for a profile: enough for the shape of a distribution, bounded in time. */
const MAX_ROWS = 5000;
/** Generated data: rows profiled, rows per batch read, and images whose pixels go into the histogram. */
const MAX_SPLIT_ROWS = 2000;
const SPLIT_BATCH = 128;
const IMAGE_ROWS = 32;
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
    const cols = 'columns' in input && Array.isArray(input.columns) ? input.columns : [('column' in input ? input.column : undefined) ?? name];
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
  const images = new Set(Object.entries(spec.inputs).filter(([, i]) => i.type === 'image').map(([n, i]) => (i.type === 'image' ? i.column : undefined) ?? n));
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
  const n = Math.min(split.rows, MAX_SPLIT_ROWS);
  const numbers = new Map<string, { role: string; kind: ColumnProfile['kind']; values: number[] }>();
  const labels = new Map<string, string[]>();
  const add = (name: string, role: string, kind: ColumnProfile['kind'], values: ArrayLike<number>) => {
    const entry = numbers.get(name) ?? numbers.set(name, { role, kind, values: [] }).get(name)!;
    for (let i = 0; i < values.length; i++) entry.values.push(values[i]);
  };
  for (let start = 0; start < n; start += SPLIT_BATCH) {
    const rows = Math.min(SPLIT_BATCH, n - start);
    const batch = await split.batch(Int32Array.from({ length: rows }, (_, i) => start + i));
    try {
      for (const info of Object.values(data.inputs)) await profileInput(info, await batch.xs[info.name].data(), rows, start, add);
      for (const info of Object.values(data.heads)) {
        const values = await batch.ys[info.name].data();
        const width = values.length / rows;
        if (info.type === 'regression') add(info.name, `head ${info.name}`, 'number', Array.from({ length: rows }, (_, r) => values[r * width]));
        else labels.set(info.name, [...(labels.get(info.name) ?? []), ...classLabels(info, values, rows)]);
      }
    } finally {
      tf.dispose([...Object.values(batch.xs), ...Object.values(batch.ys)]);
    }
  }
  const inputs = [...numbers].map(([name, c]) => ({ ...numberColumn(name, c.role, c.values), kind: c.kind, rows: c.kind === 'image' ? Math.min(n, IMAGE_ROWS) : n }));
  const heads = [...labels].map(([name, ls]): ColumnProfile => {
    const top = countValues(ls);
    return { name, kind: 'category', role: `head ${name}`, rows: ls.length, missing: 0, distinct: top.length, top: top.slice(0, TOP) };
  });
  return [...inputs, ...heads];
}

type AddValues = (name: string, role: string, kind: ColumnProfile['kind'], values: ArrayLike<number>) => void;

/** One batch of one input: structured columns one by one; images' pixels (the first rows only); texts' lengths. */
async function profileInput(info: InputInfo, values: ArrayLike<number>, rows: number, start: number, add: AddValues): Promise<void> {
  const role = `input ${info.name}`;
  const width = values.length / rows;
  if (info.type === 'structured') {
    for (let c = 0; c < width; c++) add(`${info.name}[${c}]`, role, 'number', Array.from({ length: rows }, (_, r) => values[r * width + c]));
  } else if (info.type === 'image') {
    const keep = Math.max(0, Math.min(rows, IMAGE_ROWS - start));
    if (keep > 0) add(`${info.name} pixels`, role, 'image', Array.prototype.slice.call(values, 0, keep * width));
  } else if (info.dtype === 'int32') {
    add(`${info.name} tokens`, role, 'tokens', Array.from({ length: rows }, (_, r) => {
      let tokens = 0;
      for (let k = 0; k < width; k++) if (values[r * width + k] !== 0) tokens++;
      return tokens;
    }));
  } else {
    // Any other input of numbers (time series): its values together, as the model sees them.
    add(`${info.name} values`, role, 'number', Array.from(values));
  }
}

function classLabels(info: HeadInfo, values: ArrayLike<number>, rows: number): string[] {
  const width = values.length / rows;
  const names = classNamesOf(info, width);
  return Array.from({ length: rows }, (_, r) => names[predictedClass(values, r, width)]);
}

function numberColumn(name: string, role: string, values: ArrayLike<number>): ColumnProfile {
  return { name, kind: 'number', role, rows: values.length, missing: 0, distinct: new Set(Array.from(values)).size, histogram: histogram(values) };
}
