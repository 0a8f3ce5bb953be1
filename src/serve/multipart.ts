/**
 * Ludwig's form shapes: /predict takes one field per column (image files uploaded under the column's
 * name); /batch_predict takes a `dataset` field (JSON, pandas's "split" orient: {columns, data}) with
 * image cells naming uploaded files. Form fields arrive as strings; the row writers parse them as a
 * CSV cell would be.
 */
import type { FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import { suggestion } from '../util/suggest';

export class FormError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormError';
  }
}

export interface Form {
  fields: Map<string, string>;
  files: Map<string, { filename: string; bytes: Buffer }>;
}

/** Reads every part; upload limits are enforced by @fastify/multipart (413 past them). */
export async function readForm(request: FastifyRequest): Promise<Form> {
  if (!request.isMultipart()) throw new FormError('expected a multipart/form-data body');
  const form: Form = { fields: new Map(), files: new Map() };
  for await (const part of request.parts()) {
    if (part.type === 'file') form.files.set(part.fieldname, { filename: part.filename, bytes: await part.toBuffer() });
    else form.fields.set(part.fieldname, String(part.value));
  }
  return form;
}

/** /predict: one row from fields and files, every column present, images only as files. */
export function formRow(form: Form, columns: string[], imageColumns: string[]): Record<string, unknown> {
  const problems: string[] = [];
  for (const name of [...form.fields.keys(), ...form.files.keys()]) if (!columns.includes(name)) problems.push(`field "${name}": unknown; ${suggestion(name, columns)}`);
  const row: Record<string, unknown> = {};
  for (const c of columns) {
    const image = imageColumns.includes(c);
    if (image && form.files.has(c)) row[c] = form.files.get(c)!.bytes;
    else if (image) problems.push(`field "${c}": expected an uploaded image file${form.fields.has(c) ? ', got a text field (paths are never read)' : ''}`);
    else if (form.files.has(c)) problems.push(`field "${c}": expected a text field, got a file`);
    else if (form.fields.has(c)) row[c] = form.fields.get(c);
    else problems.push(`field "${c}": missing (send an empty value for a missing one)`);
  }
  if (problems.length > 0) throw new FormError(problems.join('\n'));
  return row;
}

/** /batch_predict: the rows of the `dataset` field, image cells replaced by the files they name. */
export function formDataset(form: Form, columns: string[], imageColumns: string[]): Array<Record<string, unknown>> {
  const text = form.fields.get('dataset');
  if (text === undefined) throw new FormError('field "dataset": missing; expected JSON {"columns": [...], "data": [[...], ...]}');
  let dataset: { columns?: unknown; data?: unknown };
  try {
    dataset = JSON.parse(text);
  } catch (err) {
    throw new FormError(`field "dataset": not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(dataset.columns) || !Array.isArray(dataset.data) || !dataset.data.every(Array.isArray)) {
    throw new FormError('field "dataset": expected {"columns": [names], "data": [[values], ...]} (pandas to_json(orient="split"))');
  }
  const names = dataset.columns.map(String);
  const missing = columns.filter((c) => !names.includes(c));
  if (missing.length > 0) throw new FormError(missing.map((c) => `field "dataset": column "${c}" missing; ${suggestion(c, names)}`).join('\n'));
  const byName = new Map([...form.files.values()].map((f) => [f.filename, f.bytes]));
  const problems: string[] = [];
  const rows = (dataset.data as unknown[][]).map((cells, r) => {
    const row = Object.fromEntries(names.map((n, k) => [n, cells[k]]));
    for (const c of imageColumns) {
      const file = byName.get(String(row[c]));
      if (!file) problems.push(`field "dataset": row ${r + 1} column "${c}": no uploaded file named ${JSON.stringify(row[c])}`);
      row[c] = file;
    }
    return Object.fromEntries(columns.map((c) => [c, row[c]]));
  });
  if (problems.length > 0) throw new FormError(problems.join('\n'));
  return rows;
}
