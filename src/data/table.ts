/**
 * A table (or an image folder) to PreparedData, in three passes over the training file so that only
 * typed arrays stay in memory: scan (count rows, find bad ones, profile column types), learn (the
 * preprocessing, from training rows only), encode (every kept row into typed arrays). Every problem
 * of every file is collected and reported at once before anything is learned.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Spec } from '../spec/types';
import { deriveSeed } from '../util/rng';
import { bindColumns, ColumnPlan, Layout, planColumns } from './columns';
import { ProblemLog } from './errors';
import { folderPlan, folderTable } from './image-folder';
import { ImageCache } from './image';
import type { ColumnType, Inference } from './infer';
import { openTable, Table } from './read-table';
import { decideTypes, reportEmptyColumns, reportNonNumbers, ScanResult, scanTable } from './scan';
import type { HeadInfo, InputInfo, PreparedData, Preprocessing } from './source';
import { ROLE, splitRows } from './split';
import { learnStates, LearnedStates } from './learn';
import { EncodedTable, encodeTable, imageSampleStats, vectorStats } from './encode';
import { headInfo } from './targets';
import { compileTransform, PREPROCESSING_VERSION, SavedHead, SavedInput } from './transform';
import { inputDef } from '../inputs/registry';
import { storeSplit } from './store';

/** Decoded images kept per prepared dataset: about 10,000 images of 64x64x3 (bytes, not floats). */
const IMAGE_CACHE_BYTES = 128 * 1024 * 1024;

type Part = 'train' | 'validation' | 'test';

interface Sources {
  kind: 'table' | 'image-folder';
  plan: ColumnPlan;
  tables: Partial<Record<Part, Table>> & { train: Table };
  layouts: Partial<Record<Part, Layout>> & { train: Layout };
}

interface Scans {
  parts: Partial<Record<Part, ScanResult>> & { train: ScanResult };
  types: Map<string, Inference>;
}

type Encoded = Partial<Record<Part, EncodedTable>> & { train: EncodedTable };

export async function prepareTable(spec: Spec): Promise<PreparedData> {
  const log = new ProblemLog();
  const skip = spec.data.on_bad_row === 'skip';
  // Fatal problems stop the run; bad rows are left out and the passes go on, so that one error
  // lists every problem of every file (or, with skip, training goes on without those rows).
  const stop = () => log.throwIfFatal(!skip);
  const sources = await openSources(spec, log);
  stop();
  // One cache from the scan's decode check to the last training batch: an image is decoded once.
  const images = new ImageCache(IMAGE_CACHE_BYTES);
  const scans = await scanAll(sources!, images, log);
  stop();
  const roles = assignRoles(spec, sources!.tables.train, scans.parts.train, !!sources!.tables.validation, log);
  stop();
  const learned = await learnStates(sources!.tables.train, sources!.layouts.train, roles, scans.parts.train.rows, scans.types, log);
  stop();
  const preprocessing = assemble(spec, sources!, learned, scans.types);
  const encoded = await encodeAll(sources!, scans, roles, preprocessing, log);
  log.throwIfAny(!skip);
  return finish(sources!, scans, encoded, preprocessing, images, log, skip);
}

/**
 * Pass 1 over every file; column types come from the training file and are checked in the others.
 * Types are inferred over the whole training file, rows later held out included: the split needs
 * the bad rows (non-numbers in numerical columns) known first, and a column has one type in all its
 * rows. Everything with numbers in it (means, vocabularies, classes) is learned in pass 2, from
 * training rows only.
 */
async function scanAll(sources: Sources, images: ImageCache, log: ProblemLog): Promise<Scans> {
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

/** Pass 3: every kept row of every file; validation and test rows may hold classes training never saw. */
async function encodeAll(sources: Sources, scans: Scans, roles: Uint8Array, preprocessing: Preprocessing, log: ProblemLog): Promise<Encoded> {
  const { tables } = sources;
  const encoded: Encoded = { train: await encodeTable(tables.train, preprocessing, compileTransform(preprocessing, 'validation'), roles, log) };
  for (const part of ['validation', 'test'] as const) {
    if (!tables[part]) continue;
    const keep = scans.parts[part]!.bad.map((b) => (b ? ROLE.leftOut : ROLE.validation));
    encoded[part] = await encodeTable(tables[part]!, preprocessing, compileTransform(preprocessing, part), keep, log);
  }
  return encoded;
}

/** The splits, the statistics of the training rows, and the counts. */
async function finish(sources: Sources, scans: Scans, encoded: Encoded, preprocessing: Preprocessing, images: ImageCache, log: ProblemLog, skip: boolean): Promise<PreparedData> {
  const train = { store: encoded.train.store, positions: encoded.train.parts[ROLE.train] };
  const validation = encoded.validation
    ? { store: encoded.validation.store, positions: encoded.validation.parts[ROLE.validation] }
    : { store: encoded.train.store, positions: encoded.train.parts[ROLE.validation] };
  const test = encoded.test && { store: encoded.test.store, positions: encoded.test.parts[ROLE.validation] };
  const display = sources.tables.train.display;
  if (train.positions.length === 0) log.fatal(display, 'no training rows are left after leaving out bad rows');
  if (validation.positions.length === 0) log.fatal(display, 'no validation rows are left after leaving out bad rows');
  log.throwIfFatal(!skip);

  for (const input of Object.values(preprocessing.inputs)) {
    const stats = inputDef(input.type).stats;
    if (stats === 'images') input.stats = await imageSampleStats(train.store, input.name, train.positions, images);
    if (stats === 'values') input.stats = vectorStats(train.store, input.name, train.positions);
  }
  const badRows = Object.values(scans.parts).reduce((n, s) => n + s.bad.reduce((a, b) => a + b, 0), 0);
  const skipped = badRows + Object.values(encoded).reduce((n, e) => n + e.rejected, 0);
  preprocessing.rows = { train: train.positions.length, validation: validation.positions.length, test: test?.positions.length, skipped };
  const first = log.problems.slice(0, 3).map((p) => `${p.where}${p.column ? ` (${p.column})` : ''}: ${p.message}`).join('; ');
  return {
    inputs: Object.fromEntries(Object.values(preprocessing.inputs).map((i) => [i.name, plainInputInfo(i)])),
    heads: Object.fromEntries(Object.values(preprocessing.heads).map((h) => [h.name, plainHeadInfo(h)])),
    train: storeSplit(train.store, train.positions, images),
    validation: storeSplit(validation.store, validation.positions, images),
    test: test && storeSplit(test.store, test.positions, images),
    preprocessing,
    notes: skipped > 0 ? [`left out ${skipped} bad row${skipped === 1 ? '' : 's'} (data.on_bad_row: skip); the first: ${first}`] : undefined,
  };
}

const resolveFrom = (spec: Spec, p: string) => path.resolve(path.dirname(spec.file), p);

async function openSources(spec: Spec, log: ProblemLog): Promise<Sources | undefined> {
  const source = spec.data.source;
  const isFolder = typeof source === 'object';
  const trainFile = resolveFrom(spec, isFolder ? source.images : source);
  let plan: ColumnPlan | undefined;
  let train: Table | undefined;
  if (isFolder) {
    plan = folderPlan(spec, log);
    train = plan && folderTable(trainFile, plan, log);
  } else {
    train = await openTable(trainFile, log);
    plan = train && planColumns(spec, train, log);
  }
  if (!plan || !train) return undefined;
  const open = async (p: string | undefined) => {
    if (p === undefined) return undefined;
    const file = resolveFrom(spec, p);
    return isFolder && fs.existsSync(file) && fs.statSync(file).isDirectory() ? folderTable(file, plan!, log) : openTable(file, log);
  };
  const tables = { train, validation: await open(spec.data.validation), test: await open(spec.data.test) };
  // Only the training file is split, so only it needs the stratify column.
  const others = { ...plan, stratify: undefined };
  const layouts = {
    train: bindColumns(plan, train, log),
    validation: tables.validation && bindColumns(others, tables.validation, log),
    test: tables.test && bindColumns(others, tables.test, log),
  };
  return { kind: isFolder ? 'image-folder' : 'table', plan, tables, layouts };
}

function writtenTypes(plan: ColumnPlan): Map<string, ColumnType> {
  const types = new Map<string, ColumnType>();
  for (const input of plan.inputs) for (const [c, t] of Object.entries((input.spec.type === 'structured' ? input.spec.column_types : undefined) ?? {})) types.set(c, t);
  return types;
}

/** Per row of the training file: train, validation (held out by validation_split) or left out (bad). */
function assignRoles(spec: Spec, table: Table, scan: ScanResult, separateValidation: boolean, log: ProblemLog): Uint8Array {
  const roles = new Uint8Array(scan.rows).fill(ROLE.leftOut);
  const good = Int32Array.from({ length: scan.rows }, (_, p) => p).filter((p) => scan.bad[p] === 0);
  if (separateValidation) {
    for (const p of good) roles[p] = ROLE.train;
    if (good.length === 0 && scan.rows > 0) log.fatal(table.display, `no rows are left after leaving out ${scan.rows} bad rows`);
    return roles;
  }
  if (good.length < 2) {
    if (scan.rows > 0) log.fatal(table.display, `${good.length} usable row${good.length === 1 ? '' : 's'}: too few to hold out validation rows (data.validation_split)`);
    return roles;
  }
  const split = splitRows(good, spec.data.validation_split, deriveSeed(spec.seed, 'validation_split'), scan.stratify);
  for (const p of split.train) roles[p] = ROLE.train;
  for (const p of split.validation) roles[p] = ROLE.validation;
  return roles;
}

/** preprocessing.json: each input's and head's info plus what it takes to redo its transformation. */
function assemble(spec: Spec, sources: Sources, learned: LearnedStates, types: Map<string, Inference>): Preprocessing {
  const inputs: Record<string, SavedInput> = {};
  for (const [name, state] of learned.inputs) {
    const written = spec.inputs[name];
    inputs[name] = inputDef(written.type).saved(name, written, state);
  }
  const heads: Record<string, SavedHead> = {};
  for (const [name, state] of learned.heads) heads[name] = { ...headInfo(name, spec.heads[name].type, state), ...state };
  const source = spec.data.source;
  return {
    source: sources.kind,
    version: PREPROCESSING_VERSION,
    table: {
      file: typeof source === 'string' ? source : source.images,
      format: sources.tables.train.format,
      columnTypes: Object.fromEntries([...types].map(([c, t]) => [c, t])),
    },
    inputs: inputs as unknown as Preprocessing['inputs'],
    heads: heads as unknown as Preprocessing['heads'],
  };
}

function plainInputInfo(i: InputInfo): InputInfo {
  return { name: i.name, type: i.type, shape: [...i.shape], dtype: i.dtype, ...(i.vocabSize !== undefined ? { vocabSize: i.vocabSize } : {}), ...(i.stats ? { stats: i.stats } : {}) };
}

function plainHeadInfo(h: HeadInfo): HeadInfo {
  return h.type === 'regression'
    ? { name: h.name, type: h.type, units: h.units, ...(h.scaling ? { scaling: h.scaling } : {}) }
    : { name: h.name, type: h.type, classes: h.classes, classNames: h.classNames, multiLabel: h.multiLabel };
}

