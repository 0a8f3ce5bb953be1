/**
 * What keeps automm's deletes inside what automm made: a project lies strictly inside --out, carries
 * a marker file that --overwrite requires before deleting anything, and has one writer at a time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { storageError, writeJsonAtomic } from '../util/atomic';
import { acquireLock, assertNotLocked, Lock } from '../util/lock';
import { packageVersion } from '../util/package-info';
import { ProjectError } from './project';
import { FILE } from '../util/file-names';

/** Written first into every project; --overwrite deletes only folders that carry it. */
export const PROJECT_MARKER = '.automm-project';
/** The one-writer lock (see util/lock.ts); kept through --overwrite, removed when the writer ends. */
export const PROJECT_LOCK = '.automm-lock';

/** <out>/<name>, refused unless it lies strictly inside <out> (the spec's name is checked too; this is the last guard). */
export function projectDir(out: string, name: string): string {
  const root = path.resolve(out);
  const dir = path.resolve(root, name);
  const rel = path.relative(root, dir);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) || rel.includes(path.sep)) {
    throw new ProjectError(`the project name "${name}" would put the project at ${dir}, not inside ${root}; use a plain name (letters, digits, _ . -)`);
  }
  return path.join(out, name);
}

export const hasMarker = (project: string) => fs.existsSync(path.join(project, PROJECT_MARKER));

export function writeMarker(project: string): void {
  writeJsonAtomic(path.join(project, PROJECT_MARKER), { tool: 'automm', version: packageVersion(), created: new Date().toISOString() });
}

/** Entries of a folder other than automm's own lock. */
const contents = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n !== PROJECT_LOCK) : []);

/**
 * Takes the project's lock for `command`. A folder that exists, is not empty and is not an automm
 * project is refused untouched: the spec's name may point at the user's own files.
 */
export function claimProject(project: string, command: string): Lock {
  const entries = contents(project);
  if (entries.length > 0 && !hasMarker(project) && !fs.existsSync(path.join(project, FILE.spec))) {
    throw new ProjectError(`${project} exists and is not an automm project (no ${PROJECT_MARKER} marker; it holds ${listed(entries)}); automm leaves it alone. Change the spec's name or --out`);
  }
  const created = !fs.existsSync(project);
  let lock: Lock;
  try {
    fs.mkdirSync(project, { recursive: true });
    lock = acquireLock(path.join(project, PROJECT_LOCK), command);
  } catch (err) {
    // A read-only or full --out: say so, naming the folder.
    throw storageError(err, project);
  }
  return {
    file: lock.file,
    staleNote: lock.staleNote,
    release() {
      lock.release();
      // A run refused before writing anything leaves no empty folder behind.
      if (created && fs.existsSync(project) && fs.readdirSync(project).length === 0) fs.rmdirSync(project);
    },
  };
}

/** Refuses at once when another live automm holds the project (the lock itself is taken later, by runSearch). */
export const assertProjectFree = (project: string) => assertNotLocked(path.join(project, PROJECT_LOCK));

/** --overwrite: empties a project (keeping the lock held by this run); only a marked project is deleted. */
export function clearProject(project: string): void {
  if (!hasMarker(project)) {
    throw new ProjectError(`${project}: --overwrite deletes only folders automm made, and this one has no ${PROJECT_MARKER} marker (made by an older automm, or not by automm); delete it yourself if it is yours, or change the spec's name or --out`);
  }
  for (const entry of contents(project)) fs.rmSync(path.join(project, entry), { recursive: true, force: true });
}

const listed = (entries: string[]) => entries.slice(0, 3).map((e) => `"${e}"`).join(', ') + (entries.length > 3 ? ` and ${entries.length - 3} more` : '');
