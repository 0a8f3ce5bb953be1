/**
 * Raw rows to model inputs after training (predict): the saved preprocessing, replayed with the same
 * row writer the training rows went through. Rows are checked first, all of them, so a bad file is
 * refused with every problem listed instead of failing halfway through its predictions.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bindColumns, Layout } from './columns';
import { PREDICTING, ProblemLog } from './errors';
import { checkImageFile, ImageCache, imagePath } from './image';
import { memoryTable, objectRows, Row, Table } from './read-table';
import type { DataSplit, Preprocessing } from './source';
import { storeSplit } from './store';
import { encodeTable } from './encode';
import { ROLE } from './split';
import { inputColumns, checkReadsRows } from './input-writers';
import { compileTransform, makeStore, planOf, Transform, writeRow } from './transform';
import { asText, isMissing } from './values';
import { inputDef } from '../inputs/registry';

/** Decoded images a predictor keeps: predictions rarely see an image twice, so a small cache. */
const PREDICT_CACHE_BYTES = 16 * 1024 * 1024;

export interface RowEncoder {
  /** The table columns the model reads, in input order. */
  readonly columns: string[];
  /** Checks every row of a table (columns, values, image files), throwing one DataError listing all problems. */
  check(table: Table): Promise<void>;
  /** Model inputs for some rows of a checked table, keyed by input name. */
  encode(table: Table, rows: Row[]): Promise<Record<string, tf.Tensor>>;
}

export function rowEncoder(preprocessing: Preprocessing): RowEncoder {
  checkReadsRows(preprocessing);
  const transform = compileTransform(preprocessing, 'the predicted');
  const plan = planOf(preprocessing);
  const images = new ImageCache(PREDICT_CACHE_BYTES);
  const layouts = new WeakMap<Table, Layout>();
  const bind = (table: Table, log: ProblemLog) => {
    let layout = layouts.get(table);
    if (!layout) layouts.set(table, (layout = bindColumns(plan, table, log, false)));
    return layout;
  };
  return {
    columns: Object.values(preprocessing.inputs).flatMap((i) => inputColumns(i)),
    async check(table) {
      const log = new ProblemLog(PREDICTING);
      const layout = bind(table, log);
      log.throwIfAny();
      for await (const chunk of table.chunks()) checkRows(transform, layout, table, chunk, log);
      log.throwIfAny();
    },
    async encode(table, rows) {
      const log = new ProblemLog(PREDICTING);
      const layout = bind(table, log);
      const store = makeStore(transform, rows.length, table.where, false);
      rows.forEach((row, at) => {
        for (const p of writeRow(transform, layout, row, store, at, table.baseDir)) log.row(table.where(row.line), p.message, p.column);
      });
      log.throwIfAny();
      const { xs } = await store.batch(Int32Array.from(rows, (_, i) => i), images);
      return xs;
    },
  };
}

function checkRows(transform: Transform, layout: Layout, table: Table, rows: Row[], log: ProblemLog): void {
  const store = makeStore(transform, 1, table.where, false);
  for (const row of rows) {
    if (row.error) {
      log.row(table.where(row.line), row.error);
      continue;
    }
    for (const p of writeRow(transform, layout, row, store, 0, table.baseDir)) log.row(table.where(row.line), p.message, p.column);
    store.clear(0);
    transform.inputs.forEach((input, i) => {
      if (inputDef(input.info.type).storage !== 'image-files') return;
      const value = row.cells[layout.inputs[i].index[0]];
      if (isMissing(value)) return; // reported by writeRow
      const why = checkImageFile(imagePath(value, table.baseDir), asText(value).trim());
      if (why) log.row(table.where(row.line), why, input.columns[0]);
    });
  }
}

/**
 * Rows given as objects (library calls) as a table; messages name them `row 1`, `row 2`, ... Its
 * columns are the keys the rows use, so a misspelt key is reported (with a did-you-mean), not read
 * as a missing value.
 */
export function rowsTable(rows: Array<Record<string, unknown>>, baseDir: string): Table {
  const { columns, rows: parsed } = objectRows(rows);
  return memoryTable('rows', 'json', baseDir, columns, parsed, (i) => `row ${i + 1}`);
}

export const EVALUATING = 'nothing was evaluated';

/**
 * A labelled table as one split (inputs and targets), encoded by the pipeline's encode pass as the
 * training rows were: what `automm evaluate` scores a model on. The file is read twice (its rows
 * counted, then encoded into typed arrays), never held as rows. Every row is checked; one error
 * lists all problems.
 */
export async function labelledSplit(preprocessing: Preprocessing, table: Table): Promise<DataSplit> {
  checkReadsRows(preprocessing);
  const log = new ProblemLog(EVALUATING);
  const layout = bindColumns(planOf(preprocessing), table, log, true);
  log.throwIfAny();
  const roles = new Uint8Array(await countRows(table)).fill(ROLE.validation);
  const { store, parts } = await encodeTable(table, layout, compileTransform(preprocessing, 'the evaluated'), roles, log);
  log.throwIfAny();
  return storeSplit(store, parts[ROLE.validation], new ImageCache(PREDICT_CACHE_BYTES));
}

/** The encode pass sizes its typed arrays up front, so it needs the row count first. */
async function countRows(table: Table): Promise<number> {
  let rows = 0;
  for await (const chunk of table.chunks()) rows += chunk.length;
  return rows;
}
