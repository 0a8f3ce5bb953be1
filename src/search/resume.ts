/**
 * Starting a search into a project directory: fresh, overwritten, or resumed. A resume keeps every
 * finished trial, retrains the one in flight, and refuses a spec whose search-relevant keys changed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Spec } from '../spec/types';
import type { PreparedData } from '../data/source';
import { isStaleTemp, readJson, recoverReplacedDir, writeJsonAtomic } from '../util/atomic';
import { ProjectError, paths } from './project';
import { clearProject, writeMarker } from './project-guard';
import { DataFingerprint, changedData, dataFingerprint } from './data-fingerprint';
import type { Trial } from './trial';

/** Budget and machine keys may change between runs: a resume can extend or move a search. */
const MAY_CHANGE = new Set(['search.max_trials', 'search.time_limit', 'search.workers', 'search.threads', 'search.backend', 'file']);

export interface ProjectStart {
  /** Trials already on disk, by index; running ones are to be retrained with the same values. */
  trials: Trial[];
}

export function startProject(spec: Spec, data: PreparedData, project: string, mode: { overwrite?: boolean; resume?: boolean }): ProjectStart {
  const p = paths(project);
  const exists = fs.existsSync(p.spec);
  if (exists && mode.resume) return { trials: resumeTrials(spec, project) };
  if (mode.resume) throw new ProjectError(`${project}: nothing to resume (no search there); drop --resume to start one`);
  if (exists && !mode.overwrite) {
    throw new ProjectError(`${project} already holds a search; pass --resume to continue it, --overwrite to start again (its trials are deleted), or --out to write elsewhere`);
  }
  if (exists) clearProject(project);
  writeMarker(project);
  // spec.json first: a kill right after it leaves a project that --resume recognises.
  writeJsonAtomic(p.preprocessing, data.preprocessing);
  writeJsonAtomic(p.spec, { ...spec, data_files: dataFingerprint(spec) });
  fs.mkdirSync(p.trials, { recursive: true });
  return { trials: [] };
}

function resumeTrials(spec: Spec, project: string): Trial[] {
  const p = paths(project);
  const { data_files: before, ...written } = readJson<Spec & { data_files?: DataFingerprint }>(p.spec);
  const changed = changedKeys(written, spec).filter((k) => !MAY_CHANGE.has(k));
  if (changed.length > 0) {
    throw new ProjectError(`${project}: the spec changed since this search started (${changed.join(', ')}); a resumed search must propose the same trials. Use --overwrite to start again, or --out to start elsewhere`);
  }
  const data_files = dataFingerprint(spec);
  const dataChanged = changedData(before, data_files);
  if (dataChanged.length > 0) {
    throw new ProjectError(`${project}: the data changed since this search started (${dataChanged.join('; ')}); its trials and preprocessing.json were made from the old data. Use --overwrite to start again, or --out to start elsewhere`);
  }
  writeJsonAtomic(p.spec, { ...spec, data_files });
  // best/ first: a kill between its two renames left the old folder as a temporary to put back.
  recoverReplacedDir(p.best);
  removeLeftovers(project);
  const trials: Trial[] = [];
  for (const dir of fs.existsSync(p.trials) ? fs.readdirSync(p.trials) : []) {
    const file = p.trialJson(dir);
    // A trial killed before its first record was written is proposed again, identically.
    if (!fs.existsSync(file)) continue;
    const trial = readJson<Trial>(file);
    if (trial.index !== undefined && trial.id === dir) trials[trial.index] = trial;
  }
  return trials;
}

/** Temporary files and directories of writes that a kill interrupted (see util/atomic.ts). */
function removeLeftovers(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (isStaleTemp(entry.name)) fs.rmSync(full, { recursive: true, force: true });
    else if (entry.isDirectory()) removeLeftovers(full);
  }
}

/** Dotted paths where two JSON values differ. */
export function changedKeys(a: unknown, b: unknown, prefix = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(a) || !isObj(b)) return [prefix || '(root)'];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  return [...keys].flatMap((k) => changedKeys((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
}
