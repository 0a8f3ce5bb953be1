/**
 * Which table columns each input and head reads: named in the spec (`column`, `columns`), defaulting
 * to the node's own name, with `columns: rest` standing for every column nothing else uses.
 */
import type { HeadSpec, InputSpec, Spec } from '../spec/types';
import { suggestion } from '../util/suggest';
import type { ProblemLog } from './errors';
import { inputDef } from '../inputs/registry';
import type { Table } from './read-table';

/** Column names, decided once on the training table and reused for validation, test and predict tables. */
export interface ColumnPlan {
  inputs: Array<{ name: string; spec: InputSpec; columns: string[] }>;
  heads: Array<{ name: string; spec: HeadSpec; column: string }>;
  stratify?: string;
}

/** A plan bound to one table: where each named column sits in that table's rows. */
export interface Layout {
  inputs: Array<{ name: string; spec: InputSpec; columns: string[]; index: number[] }>;
  heads: Array<{ name: string; spec: HeadSpec; column: string; index: number }>;
  stratify?: number;
}

export function planColumns(spec: Spec, table: Table, log: ProblemLog): ColumnPlan {
  const named = Object.entries(spec.inputs).map(([name, input]) => ({ name, spec: input, named: inputDef(input.type).columns(name, input, (m) => log.fatal(table.display, m)) }));
  const inputs = named.map(({ name, spec: input, named: n }) => ({ name, spec: input, columns: n === 'rest' ? [] : n }));
  const heads = Object.entries(spec.heads).map(([name, head]) => ({ name, spec: head, column: head.column ?? name }));
  const used = new Set([...inputs.flatMap((i) => i.columns), ...heads.map((h) => h.column)]);
  const rest = inputs.filter((_, k) => named[k].named === 'rest');
  if (rest.length > 1) log.fatal(table.display, `only one structured input may take columns: rest; ${rest.map((i) => `inputs.${i.name}`).join(' and ')} both do`);
  for (const input of rest.slice(0, 1)) {
    input.columns = table.columns.filter((c) => !used.has(c));
    if (input.columns.length === 0) log.fatal(table.display, `inputs.${input.name}.columns: rest: every column is already used by another input or a head`);
  }
  for (const head of heads) {
    const feature = inputs.find((i) => inputDef(i.spec.type).profiled && i.columns.includes(head.column));
    if (feature) log.fatal(table.display, `is the target of heads.${head.name} and cannot also be a feature of inputs.${feature.name} (the model would see the answer)`, head.column);
  }
  for (const input of inputs) {
    for (const c of Object.keys((input.spec.type === 'structured' ? input.spec.column_types : undefined) ?? {})) {
      if (!input.columns.includes(c)) log.fatal(table.display, `inputs.${input.name}.column_types names a column the input does not read; ${suggestion(c, input.columns)}`, c);
    }
  }
  return { inputs, heads, stratify: spec.data.stratify };
}

/** Binds a plan to a table; heads are left out for tables to predict on, which have no targets. */
export function bindColumns(plan: ColumnPlan, table: Table, log: ProblemLog, withHeads = true): Layout {
  const index = new Map(table.columns.map((c, i) => [c, i]));
  const find = (column: string, by: string): number => {
    const i = index.get(column);
    if (i === undefined) log.fatal(table.display, `not found (named by ${by}); ${suggestion(column, table.columns)}`, column);
    return i ?? -1;
  };
  const inputs = plan.inputs.map((input) => ({
    ...input,
    index: input.columns.map((c) => find(c, `inputs.${input.name}.${columnsKey(input)}`)),
  }));
  const heads = withHeads ? plan.heads.map((head) => ({ ...head, index: find(head.column, `heads.${head.name}.column`) })) : [];
  const stratify = withHeads && plan.stratify !== undefined ? find(plan.stratify, 'data.stratify') : undefined;
  return { inputs, heads, stratify };
}

/** The key that named an input's columns, for messages (a saved input's plan knows only its columns). */
const columnsKey = (input: ColumnPlan['inputs'][number]) =>
  inputDef(input.spec.type).profiled || 'columns' in input.spec || input.columns.length > 1 ? 'columns' : 'column';
