/**
 * Tables on disk (CSV, TSV, JSON Lines, a JSON array of objects) as re-readable streams of rows. Only
 * a chunk of rows is in memory at a time, so preparing a table larger than memory takes a few passes
 * over the file instead of holding it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { parse } from 'csv-parse';
import { ProblemLog } from './errors';

export type TableFormat = 'csv' | 'tsv' | 'jsonl' | 'json';

export interface Row {
  /** One value per table column, in `Table.columns` order (missing keys are undefined). */
  cells: unknown[];
  /** The file line the row ends on (CSV/TSV/JSONL), or its position in a JSON array. */
  line: number;
  /** Why the row could not be read as a whole (wrong number of fields, invalid JSON). */
  error?: string;
}

export interface Table {
  /** The file as shown in messages (relative to the working directory). */
  readonly display: string;
  readonly format: TableFormat | 'folder';
  /** Image paths in the table are relative to this folder. */
  readonly baseDir: string;
  readonly columns: readonly string[];
  /** Where a row is, as messages show it: `train.csv:17`. */
  where(line: number): string;
  /** The rows from the start, a chunk at a time; each call reads the file again. */
  chunks(): AsyncIterable<Row[]>;
}

const CHUNK_ROWS = 1024;
/** JSON rows may differ in their keys; the columns are those seen in the first rows. */
const KEY_SCAN_ROWS = 1000;

export const FORMATS: Record<string, TableFormat> = { '.csv': 'csv', '.tsv': 'tsv', '.tab': 'tsv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'json' };

export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Opens a table and reads its columns; what is wrong with the file goes to `log` (undefined then). */
export async function openTable(file: string, log: ProblemLog): Promise<Table | undefined> {
  const display = displayPath(file);
  const format = FORMATS[path.extname(file).toLowerCase()];
  if (!format) {
    log.fatal(display, `unknown table format "${path.extname(file) || '(no extension)'}"; expected ${Object.keys(FORMATS).join(', ')}`);
    return undefined;
  }
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    log.fatal(display, 'file not found');
    return undefined;
  }
  if (format === 'json') return jsonTable(file, display, log);
  const columns = format === 'jsonl' ? await jsonlColumns(file) : await csvHeader(file, format);
  if (columns.length === 0) {
    log.fatal(display, format === 'jsonl' ? 'the table is empty (no JSON objects)' : 'the table is empty (no header line)');
    return undefined;
  }
  const duplicates = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (duplicates.length > 0) log.fatal(display, `column names must be unique; repeated: ${[...new Set(duplicates)].map((c) => JSON.stringify(c)).join(', ')}`);
  const base = { display, format, baseDir: path.dirname(file), columns, where: (line: number) => `${display}:${line}` };
  return { ...base, chunks: () => (format === 'jsonl' ? jsonlChunks(file, columns) : csvChunks(file, format, columns.length)) };
}

/** A table held in memory (JSON arrays, image folders, rows handed to a predictor). */
export function memoryTable(display: string, format: Table['format'], baseDir: string, columns: string[], rows: Row[], where: (line: number) => string): Table {
  return {
    display, format, baseDir, columns, where,
    chunks: async function* () {
      for (let i = 0; i < rows.length; i += CHUNK_ROWS) yield rows.slice(i, i + CHUNK_ROWS);
    },
  };
}

/** Rows given as objects (JSON arrays, library calls): columns are the keys, in order of first appearance. */
export function objectRows(objects: unknown[], columns?: string[]): { columns: string[]; rows: Row[] } {
  const cols = columns ?? keysOf(objects.slice(0, KEY_SCAN_ROWS));
  const rows = objects.map((o, i): Row =>
    isObject(o) ? { cells: cols.map((c) => o[c]), line: i } : { cells: [], line: i, error: `expected an object with column names as keys, got ${JSON.stringify(o)?.slice(0, 40)}` });
  return { columns: cols, rows };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function keysOf(objects: unknown[]): string[] {
  const keys = new Set<string>();
  for (const o of objects) if (isObject(o)) for (const k of Object.keys(o)) keys.add(k);
  return [...keys];
}

function csvOptions(format: TableFormat) {
  // relax_quotes: a stray quote inside a field (5" screen) is text, as spreadsheets write it.
  // No `info`: it copies an object per record (a fifth of the parse time); lines are counted here.
  return { delimiter: format === 'tsv' ? '\t' : ',', bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, skip_records_with_error: true } as const;
}

async function csvHeader(file: string, format: TableFormat): Promise<string[]> {
  const input = fs.createReadStream(file);
  const parser = input.pipe(parse({ ...csvOptions(format), skip_empty_lines: true, to: 1 }));
  try {
    for await (const record of parser) return (record as string[]).map((c) => c.trim());
    return [];
  } finally {
    input.destroy();
  }
}

type CsvSkip = Error & { lines?: number; records?: number };

async function* csvChunks(file: string, format: TableFormat, width: number): AsyncGenerator<Row[]> {
  const parser = fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(parse(csvOptions(format)));
  // Records csv-parse cannot read (an unclosed quote) are skipped by it; each is reported where it was.
  const skipped: CsvSkip[] = [];
  parser.on('skip', (err: CsvSkip) => skipped.push(err));
  let line = 0;
  let records = 0;
  for await (const batch of recordBatches(parser)) {
    const chunk: Row[] = [];
    for (const cells of batch as string[][]) {
      while (skipped.length > 0 && (skipped[0].records ?? Infinity) <= records) {
        const err = skipped.shift()!;
        line = err.lines ?? line + 1;
        chunk.push({ cells: [], line, error: `not valid ${format.toUpperCase()}: ${err.message}` });
      }
      records++;
      line += 1 + newlines(cells);
      if (records === 1 || (cells.length === 1 && cells[0] === '')) continue; // the header; an empty line
      const row: Row = { cells, line };
      if (cells.length !== width) row.error = `the row has ${cells.length} field${cells.length === 1 ? '' : 's'}, the header has ${width}`;
      chunk.push(row);
    }
    yield chunk;
  }
  if (skipped.length > 0) yield skipped.map((err) => ({ cells: [], line: err.lines ?? line, error: `not valid ${format.toUpperCase()}: ${err.message}` }));
}

/** Line breaks inside quoted fields: the record's last line is this many lines below its first. */
function newlines(cells: string[]): number {
  let n = 0;
  for (const c of cells) {
    for (let i = c.indexOf('\n'); i !== -1; i = c.indexOf('\n', i + 1)) n++;
  }
  return n;
}

/** Records as they are parsed, a batch at a time: one await per batch, not per record. */
async function* recordBatches(stream: NodeJS.ReadableStream & { read(): unknown }): AsyncGenerator<unknown[]> {
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => wake?.();
  stream.on('readable', notify);
  stream.on('end', () => ((ended = true), notify()));
  stream.on('error', (err: Error) => ((failure = err), notify()));
  for (;;) {
    const batch: unknown[] = [];
    let record: unknown;
    while (batch.length < CHUNK_ROWS && (record = stream.read()) !== null) batch.push(record);
    if (batch.length > 0) { yield batch; continue; }
    if (failure) throw failure;
    if (ended) return;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
}

function jsonLines(file: string): readline.Interface {
  return readline.createInterface({ input: fs.createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
}

async function jsonlColumns(file: string): Promise<string[]> {
  const objects: unknown[] = [];
  const lines = jsonLines(file);
  for await (const line of lines) {
    if (line.trim() === '') continue;
    try { objects.push(JSON.parse(line)); } catch { /* reported when the rows are read */ }
    if (objects.length >= KEY_SCAN_ROWS) break;
  }
  lines.close();
  return keysOf(objects);
}

async function* jsonlChunks(file: string, columns: readonly string[]): AsyncGenerator<Row[]> {
  let chunk: Row[] = [];
  let line = 0;
  for await (const text of jsonLines(file)) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      chunk.push({ cells: [], line, error: `not valid JSON: ${(err as Error).message}` });
      continue;
    }
    chunk.push(isObject(value) ? { cells: columns.map((c) => value[c]), line } : { cells: [], line, error: 'expected a JSON object with column names as keys' });
    if (chunk.length >= CHUNK_ROWS) { yield chunk; chunk = []; }
  }
  if (chunk.length > 0) yield chunk;
}

/** A JSON array is read whole (JSON has no record boundaries to stream by); use JSONL for big tables. */
function jsonTable(file: string, display: string, log: ProblemLog): Table | undefined {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    log.fatal(display, `not valid JSON: ${(err as Error).message}`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    log.fatal(display, 'expected a JSON array of objects (one per row); for one object per line, name the file .jsonl');
    return undefined;
  }
  const { columns, rows } = objectRows(value);
  if (columns.length === 0) {
    log.fatal(display, 'the table is empty (no objects with keys)');
    return undefined;
  }
  // JSON rows are array elements; messages name them as JavaScript does: train.json[16].
  return memoryTable(display, 'json', path.dirname(file), columns, rows, (i) => `${display}[${i}]`);
}
