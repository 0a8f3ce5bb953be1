/**
 * Crash-safe writes: everything goes to a temporary sibling first and is renamed into place, so a
 * killed process leaves either the old file or the new one, never half of one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

let counter = 0;
const tempName = (target: string) => `${target}.tmp-${process.pid}-${Date.now()}-${counter++}`;

/** A temporary file or directory that a killed write left behind (safe to delete). */
export const isLeftoverTemp = (name: string) => /\.tmp-\d+-\d+-\d+/.test(name);

export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = tempName(target);
  const fd = fs.openSync(temp, 'w');
  try {
    if (typeof data === 'string') fs.writeSync(fd, data);
    else fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, target);
}

export function writeJsonAtomic(target: string, value: unknown): void {
  writeFileAtomic(target, JSON.stringify(value, null, 2) + '\n');
}

/** Fills a fresh temporary directory with `fill`, then swaps it in for `target` in one rename. */
export async function replaceDirAtomic(target: string, fill: (dir: string) => Promise<void> | void): Promise<void> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = tempName(target);
  fs.mkdirSync(temp);
  try {
    await fill(temp);
    const old = fs.existsSync(target) ? tempName(target) + '.old' : undefined;
    if (old) fs.renameSync(target, old);
    fs.renameSync(temp, target);
    if (old) fs.rmSync(old, { recursive: true, force: true });
  } catch (err) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw err;
  }
}

export function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}
