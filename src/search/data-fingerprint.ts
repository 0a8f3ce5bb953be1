/**
 * What the data files were when a search started, kept in spec.json (`data_files`): a resume on
 * changed data would train new trials on rows the finished ones never saw, and keep the old
 * classes and statistics in preprocessing.json, so it is refused, naming the file.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Spec } from '../spec/types';

/** By spec key (data.source, data.validation, data.test): size and SHA-256 of a table, or of an image folder's listing. */
export type DataFingerprint = Record<string, { path: string; bytes: number; sha256: string }>;

export function dataFingerprint(spec: Spec): DataFingerprint {
  const files: Array<[string, string | { images: string } | undefined]> = [['data.source', spec.data.source], ['data.validation', spec.data.validation], ['data.test', spec.data.test]];
  const out: DataFingerprint = {};
  for (const [key, value] of files) {
    if (value === undefined || value === 'random') continue;
    const written = typeof value === 'string' ? value : value.images;
    const full = path.resolve(path.dirname(spec.file), written);
    if (!fs.existsSync(full)) continue;
    out[key] = { path: written, ...(fs.statSync(full).isDirectory() ? folderPrint(full) : filePrint(full)) };
  }
  return out;
}

/** Messages for every data file that is not what it was; empty when nothing changed. */
export function changedData(before: DataFingerprint | undefined, now: DataFingerprint): string[] {
  if (!before) return []; // a project from before fingerprints: nothing to compare with
  const keys = new Set([...Object.keys(before), ...Object.keys(now)]);
  return [...keys].flatMap((k) => {
    const a = before[k];
    const b = now[k];
    if (a && b && a.path === b.path && a.sha256 === b.sha256) return [];
    if (!b) return [`${k} ${a!.path} is no longer given or found`];
    if (!a) return [`${k} ${b.path} was not part of the search`];
    if (a.path !== b.path) return [`${k} was ${a.path}, now ${b.path}`];
    return [`${k} ${b.path} changed (${a.bytes} bytes then, ${b.bytes} now)`];
  });
}

function filePrint(file: string): { bytes: number; sha256: string } {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  let bytes = 0;
  try {
    for (let n; (n = fs.readSync(fd, buffer, 0, buffer.length, null)) > 0; bytes += n) hash.update(buffer.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** An image folder by its listing (names, sizes, modification times): reading every image would cost a pass over the data. */
function folderPrint(dir: string): { bytes: number; sha256: string } {
  const hash = createHash('sha256');
  let bytes = 0;
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const st = fs.statSync(full);
        bytes += st.size;
        hash.update(`${path.relative(dir, full)}\t${st.size}\t${st.mtimeMs}\n`);
      }
    }
  };
  walk(dir);
  return { bytes, sha256: hash.digest('hex') };
}
