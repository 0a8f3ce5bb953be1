/**
 * Export: the best model in the standard TensorFlow.js layers format, loadable by plain
 * @tensorflow/tfjs with no automm code, plus preprocessing.json to prepare raw inputs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { claimProject } from '../search/project-guard';
import { replaceDirAtomic, writeJsonAtomic, readJson } from '../util/atomic';
import { MODEL_JSON, WEIGHTS_BIN, verifyModelDir } from './artifacts';
import { BROWSER_BUNDLE, EXAMPLE_PAGE, writeBrowserFiles } from './browser-files';
import type { Preprocessing } from '../data/source';
import { PREPROCESSING_JSON, checkExportTarget, exportSource } from './export-target';

export { PREPROCESSING_JSON };

/** Holds the project's lock while it reads the model and writes `out`; `onNote` hears what the user should know. */
export async function exportBest(project: string, out: string, onNote?: (message: string) => void): Promise<string[]> {
  const lock = claimProject(project, 'export');
  if (lock.staleNote) onNote?.(lock.staleNote);
  try {
    const source = exportSource(project);
    if (source.note) onNote?.(source.note);
    checkExportTarget(out);
    verifyModelDir(source.dir);
    const preprocessing = readJson<Preprocessing>(source.preprocessing);
    const { trial } = source;
    await replaceDirAtomic(out, async (dir) => {
      fs.copyFileSync(path.join(source.dir, MODEL_JSON), path.join(dir, MODEL_JSON));
      fs.copyFileSync(path.join(source.dir, WEIGHTS_BIN), path.join(dir, WEIGHTS_BIN));
      writeJsonAtomic(path.join(dir, PREPROCESSING_JSON), { ...preprocessing, inputOrder: inputOrder(source.dir), trial: { id: trial.id, score: trial.score, values: trial.values } });
      writeBrowserFiles(dir);
    });
  } finally {
    lock.release();
  }
  return [MODEL_JSON, WEIGHTS_BIN, PREPROCESSING_JSON, BROWSER_BUNDLE, EXAMPLE_PAGE].map((f) => path.join(out, f));
}

/** The model's own input order (what predict() takes when called with an array). */
function inputOrder(dir: string): string[] {
  const json = readJson<{ modelTopology: { model_config?: { config: { input_layers: Array<[string]> } }; config?: { input_layers: Array<[string]> } } }>(path.join(dir, MODEL_JSON));
  const config = json.modelTopology.model_config?.config ?? json.modelTopology.config;
  return (config?.input_layers ?? []).map((l) => l[0]);
}
