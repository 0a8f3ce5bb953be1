/**
 * The saved preprocessing of the inputs that are plain values (structured columns, text, time
 * series), as writers from a row's cells to the model's numbers, built by each input type's module
 * (src/inputs) from its saved state. No files and no decoder here: the training rows, `automm
 * predict`, the server and the browser bundle all write rows with these, so a row becomes the same
 * numbers everywhere.
 */
import { inputDef } from '../inputs/registry';
import type { SavedInput, ValueWriter } from '../inputs/input';
import type { InputInfo, Preprocessing } from './source';
import { DataError } from './errors';

/** Whether a saved input is written as numbers (else it holds image paths, decoded per batch). */
export const isValueInput = (saved: InputInfo & object): boolean => inputDef(saved.type).storage === 'values';

export function valueWriter(saved: SavedInput): ValueWriter {
  const def = inputDef(saved.type);
  if (!def.writer) throw new Error(`input type "${saved.type}" stores ${def.storage}, not values`);
  return def.writer(saved);
}

/** The columns a saved input reads. */
export const inputColumns = (saved: InputInfo & object): string[] => inputDef(saved.type).savedColumns(saved as SavedInput);

/**
 * Models trained on tables or image folders know which column feeds each input; random data does
 * not, so rows (a table to predict or evaluate, a served request) cannot be read for such a model.
 */
export function checkReadsRows(p: Preprocessing): void {
  if (Object.values(p.inputs).every((i) => 'features' in i || 'column' in i || 'columns' in i)) return;
  throw new DataError(`this model was trained on ${p.source} data, so it has no columns to read rows with; only \`automm predict --data random\` runs it`);
}
