/**
 * The learned preprocessing as it is saved (preprocessing.json) and as it runs: one function writes
 * a raw row into a store, for the training rows and for rows handed to a predictor alike, so a row
 * becomes the same numbers in both (train/predict parity by construction).
 */
import type { HeadSpec, InputSpec } from '../spec/types';
import type { ColumnPlan, Layout } from './columns';
import type { Row } from './read-table';
import type { HeadInfo, InputInfo, Preprocessing } from './source';
import type { SavedInput } from '../inputs/input';
import { StringColumn, TableStore } from './store';
import type { EncodeProblem } from './structured';
import { inputColumns, isValueInput, valueWriter } from './input-writers';
import { imagePath } from './image';
import { TargetEncoder, TargetState, targetEncoder } from './targets';
import { isMissing } from './values';

export type { SavedInput } from '../inputs/input';
export type SavedHead = HeadInfo & TargetState;

/** Bumped when the saved form changes in a way older readers would misread. */
export const PREPROCESSING_VERSION = 1;

interface CompiledInput {
  info: InputInfo;
  columns: string[];
  width: number;
  write(values: readonly unknown[], store: TableStore, at: number, baseDir: string): EncodeProblem | undefined;
}

export interface Transform {
  inputs: CompiledInput[];
  heads: Array<{ name: string; column: string; encoder: TargetEncoder }>;
}

/** `split` names the rows in messages about classes the training rows never had ("validation"). */
export function compileTransform(p: Preprocessing, split: string): Transform {
  const inputs = Object.values(p.inputs).map((i) => compileInput(i));
  const heads = Object.values(p.heads).map((h) => {
    const saved = h as unknown as SavedHead;
    return { name: saved.name, column: saved.column, encoder: targetEncoder(saved, split) };
  });
  return { inputs, heads };
}

const infoOf = (saved: SavedInput): InputInfo => ({ name: saved.name, type: saved.type, shape: saved.shape, dtype: saved.dtype, vocabSize: saved.vocabSize, stats: saved.stats });

function compileInput(saved: SavedInput): CompiledInput {
  const info = infoOf(saved);
  if (isValueInput(saved)) {
    const writer = valueWriter(saved);
    const out = (store: TableStore) => store.inputs.get(info.name)!.column.data as Float32Array | Int32Array;
    return { info, columns: writer.columns, width: writer.width, write: (values, store, at) => writer.write(values, out(store), at * writer.width) };
  }
  const column = saved.column as string;
  return {
    info,
    columns: [column],
    width: 1,
    write(values, store, at, baseDir) {
      if (isMissing(values[0])) return { column, message: 'missing image path' };
      paths(store, info.name).set(at, imagePath(values[0], baseDir));
      return undefined;
    },
  };
}

const paths = (store: TableStore, name: string) => (store.inputs.get(name)!.column.data as StringColumn);

/** An empty store for `capacity` rows of this transform; targets only when the rows have them. */
export function makeStore(t: Transform, capacity: number, where: (line: number) => string, withTargets = true): TableStore {
  return TableStore.create(
    capacity,
    t.inputs.map((i) => ({ info: i.info, width: i.width, source: i.columns[0] })),
    withTargets ? t.heads.map((h) => ({ name: h.name, width: h.encoder.width })) : [],
    where,
  );
}

/**
 * Writes one row at position `at`; returns the problems with it (then the row's slots may hold
 * part of it: clear them before writing another row there).
 */
export function writeRow(t: Transform, layout: Layout, row: Row, store: TableStore, at: number, baseDir: string): EncodeProblem[] {
  const problems: EncodeProblem[] = [];
  for (let i = 0; i < t.inputs.length; i++) {
    const input = t.inputs[i];
    const values = layout.inputs[i].index.map((k) => row.cells[k]);
    const problem = input.write(values, store, at, baseDir);
    if (problem) problems.push(problem);
  }
  if (store.targets.size > 0) {
    for (let h = 0; h < t.heads.length; h++) {
      const head = t.heads[h];
      const target = store.targets.get(head.name)!;
      const problem = head.encoder.write(row.cells[layout.heads[h].index], target.data, at * head.encoder.width);
      if (problem) problems.push(problem);
    }
  }
  store.lines[at] = row.line;
  return problems;
}

/** The column plan a saved preprocessing reads: what a predictor binds new tables with. */
export function planOf(p: Preprocessing): ColumnPlan {
  return {
    inputs: Object.values(p.inputs).map((i) => ({ name: i.name, spec: { type: i.type } as InputSpec, columns: inputColumns(i) })),
    heads: Object.values(p.heads).map((h) => ({ name: h.name, spec: { type: h.type } as HeadSpec, column: (h as unknown as SavedHead).column })),
  };
}
