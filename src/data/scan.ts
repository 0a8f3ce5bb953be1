/**
 * The first pass over a table: counts its rows, finds the bad ones (unreadable rows, missing or
 * unreadable images, missing targets, non-numbers in numerical columns) and profiles structured
 * columns for type inference. Nothing is learned here, so nothing depends on the split yet.
 */
import type { ColumnPlan, Layout } from './columns';
import type { ProblemLog } from './errors';
import { growableInt32, growableUint8 } from './growable';
import { checkImageFile, ImageCache, imagePath } from './image';
import { ColumnProfile, ColumnType, inferType, nonNumberMessage, Inference } from './infer';
import type { Row, Table } from './read-table';
import type { Part, Sources } from './open-tables';
import { asLabel, asText } from './values';
import { inputDef } from '../inputs/registry';
import { headData } from '../heads/data/registry';

/** Tables with at most this many images have every image decoded before training; larger ones only sniffed. */
export const VERIFY_DECODE_LIMIT = 2000;
/** Images decoded at once while verifying (sharp works in libuv's thread pool). */
const DECODE_CONCURRENCY = 8;

export interface ScanResult {
  rows: number;
  /** 1 for a row with a problem: left out with on_bad_row: skip. */
  bad: Uint8Array;
  /** Per row, the id of its value in the stratify column. */
  stratify?: Int32Array;
  profiles: Map<string, ColumnProfile>;
}

export interface ScanOptions {
  /** Types decided already (validation and test tables, column_types): numerical ones are checked. */
  types: Map<string, ColumnType>;
  /** Where the decode check leaves the images it decodes, for statistics and training to reuse. */
  images: ImageCache;
}

export async function scanTable(table: Table, layout: Layout, options: ScanOptions, log: ProblemLog): Promise<ScanResult> {
  const bad = growableUint8();
  const stratify = layout.stratify !== undefined ? growableInt32() : undefined;
  const keys = new Map<string, number>();
  const profiles = new Map<string, ColumnProfile>();
  for (const input of layout.inputs) {
    if (inputDef(input.spec.type).profiled) for (const c of input.columns) profiles.set(c, new ColumnProfile(c, options.types.get(c) === 'numerical'));
  }
  const verify: PendingImage[] = [];
  const reader = rowReader(table, layout, profiles, log, (file, written, column, shape, position, line) => {
    if (verify.length <= VERIFY_DECODE_LIMIT) verify.push({ file, written, position, line, column, shape });
  });
  let rows = 0;
  for await (const chunk of table.chunks()) {
    for (const row of chunk) {
      const position = rows++;
      bad.push(reader(row, position) ? 1 : 0);
      if (stratify) {
        const key = row.error ? '' : asLabel(row.cells[layout.stratify!] ?? '');
        if (!keys.has(key)) keys.set(key, keys.size);
        stratify.push(keys.get(key)!);
      }
    }
  }
  const result = { rows, bad: bad.toArray(), stratify: stratify?.toArray(), profiles };
  if (verify.length <= VERIFY_DECODE_LIMIT) await verifyImages(table, verify, result.bad, options.images, log);
  return result;
}

type OnImage = (file: string, written: string, column: string, shape: readonly number[], position: number, line: number) => void;

interface PendingImage {
  file: string;
  written: string;
  position: number;
  line: number;
  column: string;
  shape: readonly number[];
}

/**
 * The scan's check of one row, with what every row needs looked up once: each input's definition
 * and profiles, and one array its cells are gathered into for every row (checks keep no cells), so
 * a row allocates nothing unless it has a problem. Returns whether the row is bad.
 */
function rowReader(table: Table, layout: Layout, profiles: Map<string, ColumnProfile>, log: ProblemLog, onImage: OnImage): (row: Row, position: number) => boolean {
  const inputs = layout.inputs.map((input) => {
    const def = inputDef(input.spec.type);
    return { ...input, def, profiles: def.profiled ? input.columns.map((c) => profiles.get(c)!) : [], cells: Array.from<unknown>({ length: input.index.length }) };
  });
  const heads = layout.heads.map((head) => ({ ...head, data: headData(head.spec.type) }));
  return (row, position) => {
    if (row.error) {
      log.row(table.where(row.line), row.error);
      return true;
    }
    let bad = false;
    for (const input of inputs) {
      const { def, index, cells } = input;
      for (let i = 0; i < index.length; i++) cells[i] = row.cells[index[i]];
      for (let i = 0; i < input.profiles.length; i++) input.profiles[i].add(cells[i], position, row.line);
      const problems = def.check?.(cells, input.columns, input.spec);
      if (problems && problems.length > 0) {
        for (const p of problems) log.row(table.where(row.line), p.message, p.column);
        bad = true;
      } else if (def.storage === 'image-files') {
        const value = cells[0];
        const file = imagePath(value, table.baseDir);
        const why = checkImageFile(file, asText(value).trim());
        if (why) {
          log.row(table.where(row.line), why, input.columns[0]);
          bad = true;
        } else onImage(file, asText(value).trim(), input.columns[0], def.exampleShape(input.spec), position, row.line);
      }
    }
    for (const head of heads) {
      const why = head.data.check(row.cells[head.index], head.spec);
      if (why) {
        log.row(table.where(row.line), why, head.column);
        bad = true;
      }
    }
    return bad;
  };
}

/** Decodes every image of a small table now, so a corrupt file stops the run before training, not in it. */
async function verifyImages(table: Table, pending: PendingImage[], bad: Uint8Array, images: ImageCache, log: ProblemLog): Promise<void> {
  for (let i = 0; i < pending.length; i += DECODE_CONCURRENCY) {
    await Promise.all(pending.slice(i, i + DECODE_CONCURRENCY).map(async (img) => {
      try {
        await images.get(img.file, img.shape);
      } catch (err) {
        log.row(table.where(img.line), `file ${img.written} cannot be decoded as an image: ${(err as Error).message.split('\n')[0]}`, img.column);
        bad[img.position] = 1;
      }
    }));
  }
}

/** Column types: written in column_types, else inferred from the profile. */
export function decideTypes(layout: Layout, profiles: Map<string, ColumnProfile>, known: Map<string, ColumnType>): Map<string, Inference> {
  const types = new Map<string, Inference>();
  for (const input of layout.inputs) {
    for (const c of input.columns) {
      const written = known.get(c);
      if (inputDef(input.spec.type).profiled) types.set(c, written ? { type: written, reason: 'column_types' } : inferType(profiles.get(c)!));
    }
  }
  return types;
}

/** One problem per numerical column holding non-numbers (Ludwig's wording); their rows become bad. */
export function reportNonNumbers(table: Table, scan: ScanResult, types: Map<string, Inference>, log: ProblemLog): void {
  const rowWord = table.format === 'json' ? 'element' : table.format === 'folder' ? 'file' : 'line';
  for (const [column, profile] of scan.profiles) {
    if (types.get(column)?.type !== 'numerical' || profile.nonNumberTotal === 0) continue;
    log.row(table.where(profile.shown[0].line), nonNumberMessage(profile, rowWord), column);
    for (const p of profile.nonNumberRows()) scan.bad[p] = 1;
  }
}

/** Columns no training row has a value in: they can teach nothing, and probably name the wrong column. */
export function reportEmptyColumns(table: Table, scan: ScanResult, log: ProblemLog): void {
  for (const [column, profile] of scan.profiles) {
    if (profile.values === 0 && scan.rows > 0) log.fatal(table.display, `has no values (all ${profile.missing} rows are empty); leave it out of the structured input's columns`, column);
  }
}

export interface Scans {
  parts: Partial<Record<Part, ScanResult>> & { train: ScanResult };
  types: Map<string, Inference>;
}

/**
 * Pass 1 over every file; column types come from the training file and are checked in the others.
 * Types are inferred over the whole training file, rows later held out included: the split needs
 * the bad rows (non-numbers in numerical columns) known first, and a column has one type in all its
 * rows. Everything with numbers in it (means, vocabularies, classes) is learned in pass 2, from
 * training rows only.
 */
export async function scanSources(sources: Sources, images: ImageCache, log: ProblemLog): Promise<Scans> {
  const { tables, layouts } = sources;
  const written = writtenTypes(sources.plan);
  const train = await scanTable(tables.train, layouts.train, { types: written, images }, log);
  if (train.rows === 0) log.fatal(tables.train.display, 'the table has no rows');
  const types = decideTypes(layouts.train, train.profiles, written);
  reportNonNumbers(tables.train, train, types, log);
  reportEmptyColumns(tables.train, train, log);
  const known = new Map([...types].map(([c, t]) => [c, t.type] as [string, ColumnType]));
  const parts: Scans['parts'] = { train };
  for (const part of ['validation', 'test'] as const) {
    const table = tables[part];
    if (!table) continue;
    const scan = (parts[part] = await scanTable(table, layouts[part]!, { types: known, images }, log));
    if (scan.rows === 0) log.fatal(table.display, `the ${part} table has no rows`);
    reportNonNumbers(table, scan, types, log);
  }
  return { parts, types };
}

/** The column_types the spec's inputs write: taken as given, never inferred. */
function writtenTypes(plan: ColumnPlan): Map<string, ColumnType> {
  const types = new Map<string, ColumnType>();
  for (const input of plan.inputs) for (const [c, t] of Object.entries((input.spec.type === 'structured' ? input.spec.column_types : undefined) ?? {})) types.set(c, t);
  return types;
}
