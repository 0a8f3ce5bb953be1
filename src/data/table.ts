/**
 * A table (or an image folder) to PreparedData, in three passes over the training file so that only
 * typed arrays stay in memory: scan (count rows, find bad ones, profile column types), learn (the
 * preprocessing, from training rows only), encode (every kept row into typed arrays). Every problem
 * of every file is collected and reported at once before anything is learned.
 */
import * as path from 'node:path';
import type { Spec } from '../spec/types';
import { deriveSeed } from '../util/rng';
import { bindColumns, ColumnPlan, planColumns } from './columns';
import { ProblemLog } from './errors';
import { folderPlan, folderTable } from './image-folder';
import { ImageCache } from './image';
import type { ColumnType, Inference } from './infer';
import { openTable, Table } from './read-table';
import { decideTypes, reportEmptyColumns, reportNonNumbers, ScanResult, scanTable } from './scan';
import type { HeadInfo, InputInfo, PreparedData, Preprocessing } from './source';
import { splitRows } from './split';
import { learnStates, LearnedStates } from './learn';
import { encodeTable, imageSampleStats, vectorStats } from './encode';
import { headInfo } from './targets';
import { textVocabSize } from './text';
import { compileTransform, PREPROCESSING_VERSION, SavedHead, SavedInput } from './transform';
import { featureWidth } from './structured';
import { storeSplit } from './store';
import * as fs from 'node:fs';

/** Decoded images kept per prepared dataset: about 10,000 images of 64x64x3 (bytes, not floats). */
const IMAGE_CACHE_BYTES = 128 * 1024 * 1024;

export const TRAIN = 0;
export const VALIDATION = 1;
export const LEFT_OUT = 2;

interface Sources {
  kind: 'table' | 'image-folder';
  plan: ColumnPlan;
  train: Table;
  validation?: Table;
  test?: Table;
}

export async function prepareTable(spec: Spec): Promise<PreparedData> {
  const log = new ProblemLog();
  const skip = spec.data.on_bad_row === 'skip';
  const sources = await openSources(spec, log);
  log.throwIfFatal(!skip);
  const { plan, train } = sources!;
  const layouts = { train: bindColumns(plan, train, log), validation: sources!.validation && bindColumns(plan, sources!.validation, log), test: sources!.test && bindColumns(plan, sources!.test, log) };
  log.throwIfFatal(!skip);

  // Pass 1: scan every file; types come from the training file and are checked in the others.
  const written = writtenTypes(plan);
  const trainScan = await scanTable(train, layouts.train, { types: written }, log);
  if (trainScan.rows === 0) log.fatal(train.display, 'the table has no rows');
  const types = decideTypes(layouts.train, trainScan.profiles, written);
  reportNonNumbers(train, trainScan, types, log);
  reportEmptyColumns(train, trainScan, log);
  const known = new Map([...types].map(([c, t]) => [c, t.type] as [string, ColumnType]));
  const scans: Record<'validation' | 'test', ScanResult | undefined> = { validation: undefined, test: undefined };
  for (const part of ['validation', 'test'] as const) {
    const table = sources![part];
    if (!table) continue;
    scans[part] = await scanTable(table, layouts[part]!, { types: known }, log);
    if (scans[part]!.rows === 0) log.fatal(table.display, `the ${part} table has no rows`);
    reportNonNumbers(table, scans[part]!, types, log);
  }
  // Bad rows are left out and the passes go on, so one error lists every problem of every file.
  log.throwIfFatal(!skip);

  const roles = assignRoles(spec, train, trainScan, !!sources!.validation, log);
  log.throwIfFatal(!skip);

  // Pass 2: learn from the training rows only.
  const learned = await learnStates(train, layouts.train, roles, trainScan.rows, types, log);
  log.throwIfFatal(!skip);
  const preprocessing = assemble(spec, sources!, learned, types);

  // Pass 3: encode every kept row; validation and test rows may still hold classes training never saw.
  const transform = compileTransform(preprocessing, sources!.validation ? 'training' : 'validation');
  const trainPart = await encodeTable(train, preprocessing, transform, roles, log);
  const encodeOther = async (part: 'validation' | 'test') => {
    const table = sources![part];
    if (!table) return undefined;
    const keep = scans[part]!.bad.map((b) => (b ? LEFT_OUT : VALIDATION));
    return encodeTable(table, preprocessing, compileTransform(preprocessing, part), keep, log);
  };
  const validationPart = await encodeOther('validation');
  const testPart = await encodeOther('test');
  log.throwIfAny(!skip);

  const trainPositions = trainPart.parts[TRAIN];
  const validation = validationPart ? { store: validationPart.store, positions: validationPart.parts[VALIDATION] } : { store: trainPart.store, positions: trainPart.parts[VALIDATION] };
  if (trainPositions.length === 0) log.fatal(train.display, 'no training rows are left after leaving out bad rows');
  if (validation.positions.length === 0) log.fatal(train.display, 'no validation rows are left after leaving out bad rows');
  log.throwIfFatal(!skip);

  const images = new ImageCache(IMAGE_CACHE_BYTES);
  for (const input of Object.values(preprocessing.inputs)) {
    input.stats = input.type === 'image'
      ? await imageSampleStats(trainPart.store, input.name, trainPositions, images)
      : input.type === 'structured' ? vectorStats(trainPart.store, input.name, trainPositions) : undefined;
    if (!input.stats) delete input.stats;
  }
  const skipped = [trainScan, scans.validation, scans.test].reduce((n, s) => n + (s ? s.bad.reduce((a, b) => a + b, 0) : 0), 0)
    + trainPart.rejected + (validationPart?.rejected ?? 0) + (testPart?.rejected ?? 0);
  preprocessing.rows = { train: trainPositions.length, validation: validation.positions.length, test: testPart?.parts[VALIDATION].length, skipped };
  return {
    inputs: Object.fromEntries(Object.values(preprocessing.inputs).map((i) => [i.name, plainInputInfo(i)])),
    heads: Object.fromEntries(Object.values(preprocessing.heads).map((h) => [h.name, plainHeadInfo(h)])),
    train: storeSplit(trainPart.store, trainPositions, images),
    validation: storeSplit(validation.store, validation.positions, images),
    test: testPart ? storeSplit(testPart.store, testPart.parts[VALIDATION], images) : undefined,
    preprocessing,
    notes: skipped > 0 ? [`left out ${skipped} bad row${skipped === 1 ? '' : 's'} (data.on_bad_row: skip); the first: ${log.problems.slice(0, 3).map((p) => `${p.where}${p.column ? ` (${p.column})` : ''}: ${p.message}`).join('; ')}`] : undefined,
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
  return { kind: isFolder ? 'image-folder' : 'table', plan, train, validation: await open(spec.data.validation), test: await open(spec.data.test) };
}

function writtenTypes(plan: ColumnPlan): Map<string, ColumnType> {
  const types = new Map<string, ColumnType>();
  for (const input of plan.inputs) for (const [c, t] of Object.entries(input.spec.column_types ?? {})) types.set(c, t);
  return types;
}

/** Per row of the training file: TRAIN, VALIDATION (held out by validation_split) or LEFT_OUT (bad). */
function assignRoles(spec: Spec, table: Table, scan: ScanResult, separateValidation: boolean, log: ProblemLog): Uint8Array {
  const roles = new Uint8Array(scan.rows).fill(LEFT_OUT);
  const good = Int32Array.from({ length: scan.rows }, (_, p) => p).filter((p) => scan.bad[p] === 0);
  if (separateValidation) {
    for (const p of good) roles[p] = TRAIN;
    if (good.length === 0 && scan.rows > 0) log.fatal(table.display, `no rows are left after leaving out ${scan.rows} bad rows`);
    return roles;
  }
  if (good.length < 2) {
    if (scan.rows > 0) log.fatal(table.display, `${good.length} usable row${good.length === 1 ? '' : 's'}: too few to hold out validation rows (data.validation_split)`);
    return roles;
  }
  const split = splitRows(good, spec.data.validation_split, deriveSeed(spec.seed, 'validation_split'), scan.stratify);
  for (const p of split.train) roles[p] = TRAIN;
  for (const p of split.validation) roles[p] = VALIDATION;
  return roles;
}

/** preprocessing.json: each input's and head's info plus what it takes to redo its transformation. */
function assemble(spec: Spec, sources: Sources, learned: LearnedStates, types: Map<string, Inference>): Preprocessing {
  const inputs: Record<string, SavedInput> = {};
  for (const [name, state] of learned.inputs) {
    const written = spec.inputs[name];
    if ('features' in state) {
      const width = state.features.reduce((a, f) => a + featureWidth(f), 0);
      inputs[name] = { name, type: 'structured', shape: [width], dtype: 'float32', ...state };
    } else if (written.type === 'text') {
      inputs[name] = { name, type: 'text', shape: [written.sequence_length!], dtype: 'int32', vocabSize: textVocabSize(state as never), ...state };
    } else {
      inputs[name] = { name, type: 'image', shape: [...written.shape!], dtype: 'float32', ...state };
    }
  }
  const heads: Record<string, SavedHead> = {};
  for (const [name, state] of learned.heads) heads[name] = { ...headInfo(name, spec.heads[name].type, state), ...state };
  const source = spec.data.source;
  return {
    source: sources.kind,
    version: PREPROCESSING_VERSION,
    table: {
      file: typeof source === 'string' ? source : source.images,
      format: sources.train.format,
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
    ? { name: h.name, type: h.type, units: h.units }
    : { name: h.name, type: h.type, classes: h.classes, classNames: h.classNames, multiLabel: h.multiLabel };
}

