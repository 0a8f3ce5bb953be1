/**
 * The reading stage: the files a spec names (a table, or an image folder read as one), opened, and
 * bound to the columns the spec's inputs and heads read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Spec } from '../spec/types';
import { bindColumns, ColumnPlan, Layout, planColumns } from './columns';
import type { ProblemLog } from './errors';
import { folderPlan, folderTable } from './image-folder';
import { openTable, Table } from './read-table';

export type Part = 'train' | 'validation' | 'test';

export interface Sources {
  kind: 'table' | 'image-folder';
  plan: ColumnPlan;
  tables: Partial<Record<Part, Table>> & { train: Table };
  layouts: Partial<Record<Part, Layout>> & { train: Layout };
}

const resolveFrom = (spec: Spec, p: string) => path.resolve(path.dirname(spec.file), p);

/** The training file and the optional validation and test files; undefined when the training file cannot be used. */
export async function openSources(spec: Spec, log: ProblemLog): Promise<Sources | undefined> {
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
