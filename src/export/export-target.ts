/**
 * Where an export may go, and what it exports when a search was killed before it saved best/.
 * An export replaces only a folder that is empty or an earlier automm export: never a file, never
 * a folder of someone else's files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson, recoverReplacedDir } from '../util/atomic';
import { bestTrial } from '../search/rank';
import { ProjectError, paths } from '../search/project';
import type { Spec } from '../spec/types';
import type { Trial } from '../search/trial';
import { MODEL_JSON, WEIGHTS_BIN } from './artifacts';
import { BROWSER_BUNDLE, EXAMPLE_PAGE } from './browser-files';
import { FILE } from '../util/file-names';

export const PREPROCESSING_JSON = FILE.preprocessing;
const EXPORT_FILES = [MODEL_JSON, WEIGHTS_BIN, PREPROCESSING_JSON, BROWSER_BUNDLE, EXAMPLE_PAGE];

/** Puts back what a killed export left, then refuses a target automm must not replace. */
export function checkExportTarget(out: string): void {
  recoverReplacedDir(out);
  if (!fs.existsSync(out)) return;
  if (!fs.statSync(out).isDirectory()) throw new ProjectError(`--out ${out} is a file; an export is a folder (model.json, weights.bin, preprocessing.json): give a folder path`);
  const entries = fs.readdirSync(out);
  const foreign = entries.filter((e) => !EXPORT_FILES.includes(e));
  if (entries.length === 0 || (foreign.length === 0 && madeByAutomm(path.join(out, MODEL_JSON)))) return;
  const shown = (foreign.length > 0 ? foreign : entries).slice(0, 3).map((e) => `"${e}"`).join(', ');
  throw new ProjectError(`--out ${out} is a folder that is not an automm export (it holds ${shown}); automm replaces only its own exports: give a new or empty folder`);
}

function madeByAutomm(modelJson: string): boolean {
  try {
    return String(JSON.parse(fs.readFileSync(modelJson, 'utf8')).generatedBy ?? '').startsWith('automm');
  } catch {
    return false;
  }
}

/** The model to export: best/ once the search saved it; else the best trial completed so far. */
export interface ExportSource {
  dir: string;
  preprocessing: string;
  trial: Pick<Trial, 'id' | 'score' | 'values'>;
  /** Said to the user when the source is not best/. */
  note?: string;
}

export function exportSource(project: string): ExportSource {
  const p = paths(project);
  if (fs.existsSync(path.join(p.best, MODEL_JSON))) {
    return { dir: p.best, preprocessing: path.join(p.best, PREPROCESSING_JSON), trial: readJson(path.join(p.best, FILE.trial)) };
  }
  const spec = readJson<Spec>(p.spec);
  const trials = fs.existsSync(p.trials)
    ? fs.readdirSync(p.trials).filter((id) => fs.existsSync(p.trialJson(id)) && fs.existsSync(path.join(p.trialModel(id), MODEL_JSON))).map((id) => readJson<Trial>(p.trialJson(id)))
    : [];
  const best = bestTrial(trials.filter((t) => t.index !== undefined), spec.search.objective);
  if (!best) throw new ProjectError(`${project}: no trial has completed yet, so there is no model to export; finish the search with \`automm search <spec> --resume --out ${path.dirname(project)}\``);
  const note = `${project}: the search did not finish (no best/), so this is its best completed trial, ${best.id} (${spec.search.objective.metric} ${best.score}), not refit; \`automm search <spec> --resume --out ${path.dirname(project)}\` finishes it`;
  return { dir: p.trialModel(best.id), preprocessing: p.preprocessing, trial: best, note };
}
