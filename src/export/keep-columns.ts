/** `automm predict --keep id`: columns of the input table carried through to the predictions, first. */
import { DataError } from '../data/errors';
import type { Row, Table } from '../data/read-table';
import type { PredictionTable } from './predict';
import { suggestion } from '../util/suggest';

/** The positions of `names` in the table; an unknown name is a DataError naming the file. */
export function keptColumns(table: Table, names: string[]): number[] {
  return names.map((name) => {
    const i = table.columns.indexOf(name);
    if (i < 0) throw new DataError(`${table.display}: --keep ${name}: no such column; ${suggestion(name, [...table.columns])}`);
    return i;
  });
}

/** Prepends the kept cells of `rows` to a chunk's predictions (one prediction per row, in order). */
export function withKept(part: PredictionTable, rows: Row[], names: string[], positions: number[]): PredictionTable {
  if (positions.length === 0) return part;
  const clash = names.find((n) => part.columns.includes(n));
  const columns = names.map((n) => (n === clash ? `input_${n}` : n));
  return {
    columns: [...columns, ...part.columns],
    rows: part.rows.map((r, k) => [...positions.map((i) => cellText(rows[k].cells[i])), ...r]),
  };
}

const cellText = (v: unknown): string | number => (typeof v === 'number' ? v : v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
