/**
 * Image folders (`data.source: {images: dir}`), laid out as Keras's image_dataset_from_directory
 * reads them: one subfolder per class (cats/, dogs/), images anywhere below it. The folder becomes a
 * two-column table (image path, class) so it takes the same road as every other table.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Spec } from '../spec/types';
import type { ColumnPlan } from './columns';
import type { ProblemLog } from './errors';
import { IMAGE_EXTENSIONS } from './image';
import { displayPath, memoryTable, Table } from './read-table';

/** The spec's one image input and one classification head, reading the folder's two columns. */
export function folderPlan(spec: Spec, log: ProblemLog): ColumnPlan | undefined {
  const where = displayPath(spec.file);
  const images = Object.entries(spec.inputs).filter(([, i]) => i.type === 'image');
  const others = Object.entries(spec.inputs).filter(([, i]) => i.type !== 'image');
  const classifiers = Object.entries(spec.heads).filter(([, h]) => h.type === 'classification');
  const regressions = Object.entries(spec.heads).filter(([, h]) => h.type !== 'classification');
  for (const [name, i] of others) log.fatal(where, `inputs.${name}: an image folder holds images and their classes only; a ${i.type} input has no data there (use a table)`);
  for (const [name] of regressions) log.fatal(where, `heads.${name}: an image folder gives classes only; a regression head has no targets there (use a table)`);
  if (images.length !== 1) log.fatal(where, `an image folder source feeds exactly one image input; the spec has ${images.length}`);
  if (classifiers.length !== 1) log.fatal(where, `an image folder source feeds exactly one classification head (the subfolder names are its classes); the spec has ${classifiers.length}`);
  if (images.length !== 1 || classifiers.length !== 1 || others.length > 0 || regressions.length > 0) return undefined;
  const [[inputName, input]] = images;
  const [[headName, head]] = classifiers;
  const imageColumn = (input.type === 'image' ? input.column : undefined) ?? inputName;
  const labelColumn = head.column ?? headName;
  const stratify = spec.data.stratify;
  if (stratify !== undefined && ![headName, labelColumn, 'label', 'class'].includes(stratify)) {
    log.fatal(where, `data.stratify: ${JSON.stringify(stratify)}: an image folder can only be stratified by its classes; write stratify: ${headName}`);
  }
  return {
    inputs: [{ name: inputName, spec: input, columns: [imageColumn] }],
    heads: [{ name: headName, spec: head, column: labelColumn }],
    stratify: stratify !== undefined ? labelColumn : undefined,
  };
}

/** The folder as a table of (path relative to the folder, class); problems with the layout go to `log`. */
export function folderTable(dir: string, plan: ColumnPlan, log: ProblemLog): Table | undefined {
  const display = displayPath(dir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    log.fatal(display, 'folder not found (data.source: {images: ...} names a folder with one subfolder per class)');
    return undefined;
  }
  const classes = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  if (classes.length === 0) {
    log.fatal(display, 'no class subfolders; expected one folder per class (cats/, dogs/) holding its images');
    return undefined;
  }
  const files: string[] = [];
  const labels: string[] = [];
  for (const c of classes) {
    const found = imagesUnder(path.join(dir, c));
    if (found.length === 0) log.fatal(displayPath(path.join(dir, c)), `class folder holds no images (${IMAGE_EXTENSIONS.join(', ')})`);
    for (const f of found) (files.push(path.relative(dir, f).split(path.sep).join('/')), labels.push(c));
  }
  const rows = files.map((f, i) => ({ cells: [f, labels[i]], line: i }));
  const columns = [plan.inputs[0].columns[0], plan.heads[0]?.column ?? 'label'];
  return memoryTable(display, 'folder', dir, columns, rows, (i) => displayPath(path.join(dir, files[i])));
}

/** Image files below a folder, in a stable order (sorted names, depth first). */
function imagesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...imagesUnder(full));
    else if (IMAGE_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) out.push(full);
  }
  return out;
}
