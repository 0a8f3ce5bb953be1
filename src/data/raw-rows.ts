/**
 * Rows as objects holding the values themselves (image bytes or pixels, never file paths) to model
 * inputs: what the server and the browser bundle take. Value columns go through the same writers as
 * the training rows (input-writers.ts); images through a decoder the caller brings (sharp on Node,
 * a canvas in the browser) and the same scaling (pixels.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { suggestion } from '../util/suggest';
import { PREDICTING, ProblemLog } from './errors';
import { inputColumns, checkReadsRows, isValueInput, valueWriter } from './input-writers';
import { writePixels } from './pixels';
import type { InputInfo, Preprocessing } from './source';
import { isMissing } from './values';

/** Pixels (height x width x channels bytes) for an image cell; throws an Error saying why not. */
export type PixelSource = (value: unknown, shape: [number, number, number]) => Promise<Uint8Array>;

/** One input's numbers for a batch of rows; `shape` includes the batch dimension. */
export interface InputArray {
  data: Float32Array | Int32Array;
  shape: number[];
  dtype: 'float32' | 'int32';
}
export type InputArrays = Record<string, InputArray>;

export interface RawRowEncoder {
  /** Every column the model reads, in input order. */
  readonly columns: string[];
  /** The image columns among them. */
  readonly imageColumns: string[];
  /** Throws one DataError listing every problem (`where(i)` names row i in it). */
  encode(rows: ReadonlyArray<Record<string, unknown>>, where?: (i: number) => string): Promise<InputArrays>;
}

/** Records a problem with row i. */
type Report = (i: number, message: string, column: string) => void;
type InputPart = { columns: string[]; encode(rows: ReadonlyArray<Record<string, unknown>>, report: Report): Promise<InputArray> };

export function rawRowEncoder(preprocessing: Preprocessing, pixels: PixelSource): RawRowEncoder {
  checkReadsRows(preprocessing);
  const parts = Object.values(preprocessing.inputs).map((saved) => [saved.name, inputPart(saved, pixels)] as const);
  const columns = parts.flatMap(([, p]) => p.columns);
  return {
    columns,
    imageColumns: Object.values(preprocessing.inputs).filter((i) => !isValueInput(i)).flatMap((i) => inputColumns(i)),
    async encode(rows, where = (i) => `row ${i + 1}`) {
      const log = new ProblemLog(PREDICTING);
      const seen = new Set(rows.flatMap((r) => Object.keys(r)));
      // A key no row has is a misspelling, not a column of missing values.
      for (const c of columns) if (rows.length > 0 && !seen.has(c)) log.fatal('rows', `not found; ${suggestion(c, seen)}`, c);
      log.throwIfAny();
      // Problems are listed row by row, as a table's are, though inputs are encoded one at a time.
      const problems = rows.map((): Array<[string, string]> => []);
      const out: InputArrays = {};
      for (const [name, part] of parts) out[name] = await part.encode(rows, (i, message, column) => problems[i].push([message, column]));
      problems.forEach((list, i) => list.forEach(([message, column]) => log.row(where(i), message, column)));
      log.throwIfAny();
      return out;
    },
  };
}

function inputPart(saved: InputInfo & Record<string, unknown>, pixels: PixelSource): InputPart {
  const dtype = saved.dtype;
  if (isValueInput(saved)) {
    const writer = valueWriter(saved);
    return {
      columns: writer.columns,
      async encode(rows, report) {
        const data = dtype === 'int32' ? new Int32Array(rows.length * writer.width) : new Float32Array(rows.length * writer.width);
        rows.forEach((row, i) => {
          const problem = writer.write(writer.columns.map((c) => row[c]), data, i * writer.width);
          if (problem) report(i, problem.message, problem.column);
        });
        return { data, shape: [rows.length, ...saved.shape], dtype };
      },
    };
  }
  const [column] = inputColumns(saved);
  const shape = saved.shape as [number, number, number];
  const size = shape[0] * shape[1] * shape[2];
  return {
    columns: [column],
    async encode(rows, report) {
      const data = new Float32Array(rows.length * size);
      await Promise.all(rows.map(async (row, i) => {
        if (isMissing(row[column])) return report(i, 'missing image', column);
        try {
          const px = await pixels(row[column], shape);
          if (px.length !== size) throw new Error(`decoded to ${px.length} values, expected ${shape.join('x')} = ${size}`);
          writePixels(px, data, i * size);
        } catch (err) {
          report(i, (err as Error).message, column);
        }
      }));
      return { data, shape: [rows.length, ...shape], dtype: 'float32' };
    },
  };
}

export function toTensors(arrays: InputArrays): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(arrays).map(([name, a]) => [name, tf.tensor(a.data, a.shape, a.dtype)]));
}
