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
  return { delimiter: format === 'tsv' ? '\t' : ',', bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, skip_records_with_error: true } as const;
}

async function csvHeader(file: string, format: TableFormat): Promise<string[]> {
  const input = fs.createReadStream(file);
  const parser = input.pipe(parse({ ...csvOptions(format), to: 1 }));
  try {
    for await (const { record } of parser) return (record as string[]).map((c) => c.trim());
    return [];
  } finally {
    input.destroy();
  }
}

async function* csvChunks(file: string, format: TableFormat, width: number): AsyncGenerator<Row[]> {
  const parser = fs.createReadStream(file, { highWaterMark: 1 << 20 }).pipe(parse(csvOptions(format)));
  // Records csv-parse cannot read (an unclosed quote) are skipped by it and reported here, in order.
  let chunk: Row[] = [];
  parser.on('skip', (err: Error & { lines?: number }) => chunk.push({ cells: [], line: err.lines ?? 0, error: `not valid ${format.toUpperCase()}: ${err.message}` }));
  let header = true;
  for await (const { record, info } of parser) {
    if (header) { header = false; continue; }
    const cells = record as string[];
    const row: Row = { cells, line: info.lines };
    if (cells.length !== width) row.error = `the row has ${cells.length} field${cells.length === 1 ? '' : 's'}, the header has ${width}`;
    chunk.push(row);
    if (chunk.length >= CHUNK_ROWS) { yield chunk; chunk = []; }
  }
  if (chunk.length > 0) yield chunk;
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
