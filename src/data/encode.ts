/** The third pass: kept rows into a store, with the learned preprocessing; and statistics of the result. */
import { bindColumns, Layout } from './columns';
import type { ProblemLog } from './errors';
import { growableInt32 } from './growable';
import { ImageCache, imageStats } from './image';
import { ChannelMoments, Moments } from './moments';
import type { Table } from './read-table';
import type { Part, Sources } from './open-tables';
import type { Scans } from './scan';
import type { Preprocessing } from './source';
import { ROLE } from './split';
import type { TableStore } from './store';
import { compileTransform, makeStore, planOf, Transform, writeRow } from './transform';

/** Training images decoded for the per-channel statistics: enough for a mean, cheap on a big folder. */
const STATS_SAMPLE = 200;

export interface EncodedTable {
  store: TableStore;
  /** Store positions of the rows of each role (0 train, 1 validation), in file order. */
  parts: [Int32Array, Int32Array];
  /** Rows refused now (a class training never saw); with on_bad_row: skip they are left out. */
  rejected: number;
}

export type Encoded = Partial<Record<Part, EncodedTable>> & { train: EncodedTable };

/** Pass 3: every kept row of every file; validation and test rows may hold classes training never saw. */
export async function encodeSources(sources: Sources, scans: Scans, roles: Uint8Array, preprocessing: Preprocessing, log: ProblemLog): Promise<Encoded> {
  const { tables } = sources;
  const plan = planOf(preprocessing);
  const encode = (table: Table, split: string, roles: Uint8Array) => encodeTable(table, bindColumns(plan, table, log), compileTransform(preprocessing, split), roles, log);
  const encoded: Encoded = { train: await encode(tables.train, 'validation', roles) };
  for (const part of ['validation', 'test'] as const) {
    if (!tables[part]) continue;
    const keep = scans.parts[part]!.bad.map((b) => (b ? ROLE.leftOut : ROLE.validation));
    encoded[part] = await encode(tables[part]!, part, keep);
  }
  return encoded;
}

/**
 * `roles[p]` says what row p of the file is for: 0 train, 1 validation (or the only part), 2 left
 * out. A row the reader could not read is refused with its reason (the scan has left such rows out
 * of training; `automm evaluate` has no scan).
 */
export async function encodeTable(table: Table, layout: Layout, transform: Transform, roles: Uint8Array, log: ProblemLog): Promise<EncodedTable> {
  const capacity = roles.reduce((n, r) => n + (r === ROLE.leftOut ? 0 : 1), 0);
  const store = makeStore(transform, capacity, table.where);
  const parts = [growableInt32(), growableInt32()];
  let position = 0;
  let at = 0;
  let rejected = 0;
  for await (const chunk of table.chunks()) {
    for (const row of chunk) {
      const role = roles[position++];
      if (role === ROLE.leftOut || role === undefined) continue;
      if (row.error) {
        log.row(table.where(row.line), row.error);
        rejected++;
        continue;
      }
      const problems = writeRow(transform, layout, row, store, at, table.baseDir);
      if (problems.length > 0) {
        for (const p of problems) log.row(table.where(row.line), p.message, p.column);
        store.clear(at);
        rejected++;
        continue;
      }
      parts[role].push(at++);
    }
  }
  return { store, parts: [parts[0].toArray(), parts[1].toArray()], rejected };
}

/** Mean and variance of each value of a float input over the given rows (what synth reports too). */
export function vectorStats(store: TableStore, name: string, positions: Int32Array): Moments {
  const { width, column } = store.inputs.get(name)!;
  const data = column.data as Float32Array;
  const moments = new ChannelMoments(width);
  for (const p of positions) moments.add(data.subarray(p * width, (p + 1) * width));
  return moments.result();
}

/** Per-channel statistics from up to STATS_SAMPLE training images, evenly spaced (deterministic). */
export async function imageSampleStats(store: TableStore, name: string, positions: Int32Array, images: ImageCache): Promise<{ mean: number[]; variance: number[] }> {
  const stored = store.inputs.get(name)!;
  const step = Math.max(1, Math.floor(positions.length / STATS_SAMPLE));
  const sample: number[] = [];
  for (let i = 0; i < positions.length && sample.length < STATS_SAMPLE; i += step) sample.push(positions[i]);
  const bytes = await Promise.all(sample.map((p) => store.pixels(name, p, images)));
  return imageStats(bytes, stored.info.shape[2]);
}
