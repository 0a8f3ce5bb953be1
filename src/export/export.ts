/**
 * Export: the best model in the standard TensorFlow.js layers format, loadable by plain
 * @tensorflow/tfjs with no automm code, plus preprocessing.json to prepare raw inputs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProjectError, paths } from '../search/project';
import { replaceDirAtomic, writeJsonAtomic, readJson } from '../util/atomic';
import { MODEL_JSON, WEIGHTS_BIN } from './artifacts';
import { BROWSER_BUNDLE, EXAMPLE_PAGE, writeBrowserFiles } from './browser-files';
import type { Preprocessing } from '../data/source';

export const PREPROCESSING_JSON = 'preprocessing.json';

export async function exportBest(project: string, out: string): Promise<string[]> {
  const best = paths(project).best;
  if (!fs.existsSync(path.join(best, MODEL_JSON))) throw new ProjectError(`${project}: no best model (no trial completed); see ${paths(project).leaderboard}`);
  const preprocessing = readJson<Preprocessing>(path.join(best, PREPROCESSING_JSON));
  const trial = readJson<{ id: string; score: number; values: object }>(path.join(best, 'trial.json'));
  await replaceDirAtomic(out, async (dir) => {
    fs.copyFileSync(path.join(best, MODEL_JSON), path.join(dir, MODEL_JSON));
    fs.copyFileSync(path.join(best, WEIGHTS_BIN), path.join(dir, WEIGHTS_BIN));
    writeJsonAtomic(path.join(dir, PREPROCESSING_JSON), { ...preprocessing, inputOrder: inputOrder(best), trial: { id: trial.id, score: trial.score, values: trial.values } });
    writeBrowserFiles(dir);
  });
  return [MODEL_JSON, WEIGHTS_BIN, PREPROCESSING_JSON, BROWSER_BUNDLE, EXAMPLE_PAGE].map((f) => path.join(out, f));
}

/** The model's own input order (what predict() takes when called with an array). */
function inputOrder(dir: string): string[] {
  const json = readJson<{ modelTopology: { model_config?: { config: { input_layers: Array<[string]> } }; config?: { input_layers: Array<[string]> } } }>(path.join(dir, MODEL_JSON));
  const config = json.modelTopology.model_config?.config ?? json.modelTopology.config;
  return (config?.input_layers ?? []).map((l) => l[0]);
}
