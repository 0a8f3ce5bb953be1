/**
 * The saved preprocessing of the inputs that are plain values (structured columns, text), as
 * writers from a row's cells to the model's numbers. No files and no decoder here: the training
 * rows, `automm predict`, the server and the browser bundle all write rows with these, so a row
 * becomes the same numbers everywhere.
 */
import type { InputInfo, Preprocessing } from './source';
import { EncodeProblem, StructuredFeature, structuredEncoder } from './structured';
import { TextState, textEncoder } from './text';

export interface ValueWriter {
  /** The cells it reads, in order. */
  columns: string[];
  /** Numbers per row. */
  width: number;
  /** Writes one row at out[at...] (slots must be zero); a problem names the cell it could not read. */
  write(values: readonly unknown[], out: Float32Array | Int32Array, at: number): EncodeProblem | undefined;
}

/** What preprocessing.json holds for a value input. */
export type SavedValueInput = InputInfo & ({ features: StructuredFeature[] } | TextState);

export const isValueInput = (saved: InputInfo & object): saved is SavedValueInput => 'features' in saved || saved.type === 'text';

export function valueWriter(saved: SavedValueInput): ValueWriter {
  if ('features' in saved) {
    const encoder = structuredEncoder(saved.features);
    return { columns: saved.features.map((f) => f.column), width: encoder.width, write: (values, out, at) => encoder.write(values, out as Float32Array, at) };
  }
  const encoder = textEncoder(saved);
  return { columns: [saved.column], width: encoder.width, write: (values, out, at) => void encoder.write(values[0], out as Int32Array, at) };
}

/** The columns a saved input reads. */
export function inputColumns(saved: InputInfo & object): string[] {
  if ('features' in saved) return (saved.features as StructuredFeature[]).map((f) => f.column);
  return [(saved as unknown as { column: string }).column];
}

/** Models trained on tables or image folders know which column feeds each input; random data does not. */
export function isTablePreprocessing(p: Preprocessing): boolean {
  return Object.values(p.inputs).every((i) => 'features' in i || 'column' in i);
}
