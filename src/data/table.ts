/**
 * A table (or an image folder) to PreparedData, in three passes over the training file so that only
 * typed arrays stay in memory: scan (count rows, find bad ones, profile column types), learn (the
 * preprocessing, from training rows only), encode (every kept row into typed arrays). Every problem
 * of every file is collected and reported at once before anything is learned. Each stage lives in
 * its own module (open-tables, scan, split, learn, encode); this one runs them in order and hands
 * the splits to training.
 */
import type { Spec } from '../spec/types';
import { ProblemLog } from './errors';
import { ImageCache } from './image';
import { openSources } from './open-tables';
import { scanSources, Scans } from './scan';
import type { HeadInfo, InputInfo, PreparedData, Preprocessing } from './source';
import { assignRoles, ROLE } from './split';
import { learnStates, savedPreprocessing } from './learn';
import { Encoded, encodeSources, imageSampleStats, vectorStats } from './encode';
import { inputDef } from '../inputs/registry';
import { storeSplit } from './store';
import { sharePrepared, type Splits, type StoredRows } from './shared';

/** Decoded images kept per prepared dataset: about 10,000 images of 64x64x3 (bytes, not floats). */
const IMAGE_CACHE_BYTES = 128 * 1024 * 1024;

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
  const scans = await scanSources(sources!, images, log);
  stop();
  const roles = assignRoles(spec, sources!.tables.train, scans.parts.train, !!sources!.tables.validation, log);
  stop();
  const learned = await learnStates(sources!.tables.train, sources!.layouts.train, roles, scans.parts.train.rows, scans.types, log);
  stop();
  const preprocessing = savedPreprocessing(spec, sources!, learned, scans.types);
  const encoded = await encodeSources(sources!, scans, roles, preprocessing, log);
  log.throwIfAny(!skip);
  const splits = splitsOf(encoded);
  const display = sources!.tables.train.display;
  if (splits.train.positions.length === 0) log.fatal(display, 'no training rows are left after leaving out bad rows');
  if (splits.validation.positions.length === 0) log.fatal(display, 'no validation rows are left after leaving out bad rows');
  log.throwIfFatal(!skip);
  await addInputStats(preprocessing, splits.train, images);
  return prepared(preprocessing, splits, skippedRows(scans, encoded), log, images);
}

/** Validation rows come from the validation file when there is one, else from the training file's held-out rows. */
function splitsOf(encoded: Encoded): Splits {
  const train = { store: encoded.train.store, positions: encoded.train.parts[ROLE.train] };
  const validation = encoded.validation
    ? { store: encoded.validation.store, positions: encoded.validation.parts[ROLE.validation] }
    : { store: encoded.train.store, positions: encoded.train.parts[ROLE.validation] };
  const test = encoded.test && { store: encoded.test.store, positions: encoded.test.parts[ROLE.validation] };
  return { train, validation, test };
}

/** The statistics of the encoded training rows that inputs normalise with (images, vectors). */
async function addInputStats(preprocessing: Preprocessing, train: StoredRows, images: ImageCache): Promise<void> {
  for (const input of Object.values(preprocessing.inputs)) {
    const stats = inputDef(input.type).stats;
    if (stats === 'images') input.stats = await imageSampleStats(train.store, input.name, train.positions, images);
    if (stats === 'values') input.stats = vectorStats(train.store, input.name, train.positions);
  }
}

/** Rows bad in the scan plus rows the encoder refused (with on_bad_row: skip, all left out). */
function skippedRows(scans: Scans, encoded: Encoded): number {
  const badRows = Object.values(scans.parts).reduce((n, s) => n + s.bad.reduce((a, b) => a + b, 0), 0);
  return badRows + Object.values(encoded).reduce((n, e) => n + e.rejected, 0);
}

/** The splits as training reads them, the counts in preprocessing.json, and a note on left-out rows. */
function prepared(preprocessing: Preprocessing, splits: Splits, skipped: number, log: ProblemLog, images: ImageCache): PreparedData {
  const { train, validation, test } = splits;
  preprocessing.rows = { train: train.positions.length, validation: validation.positions.length, test: test?.positions.length, skipped };
  const first = log.problems.slice(0, 3).map((p) => `${p.where}${p.column ? ` (${p.column})` : ''}: ${p.message}`).join('; ');
  const described = {
    inputs: Object.fromEntries(Object.values(preprocessing.inputs).map((i) => [i.name, plainInputInfo(i)])),
    heads: Object.fromEntries(Object.values(preprocessing.heads).map((h) => [h.name, plainHeadInfo(h)])),
    preprocessing,
    notes: skipped > 0 ? [`left out ${skipped} bad row${skipped === 1 ? '' : 's'} (data.on_bad_row: skip); the first: ${first}`] : undefined,
  };
  return {
    ...described,
    train: storeSplit(train.store, train.positions, images),
    validation: storeSplit(validation.store, validation.positions, images),
    test: test && storeSplit(test.store, test.positions, images),
    share: () => sharePrepared(described, splits),
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
