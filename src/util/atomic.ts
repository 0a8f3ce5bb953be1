/**
 * Crash-safe writes: everything goes to a temporary sibling first and is renamed into place, so a
 * killed process leaves either the old file or the new one, never half of one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

let counter = 0;
const tempName = (target: string) => `${target}.tmp-${process.pid}-${Date.now()}-${counter++}`;

/** A temporary file or directory of an atomic write: half written unless renamed into place. */
export const isLeftoverTemp = (name: string) => /\.tmp-\d+-\d+-\d+/.test(name);

/** A temporary that a killed write left behind: safe to delete (a live process's pid is in its own). */
export const isStaleTemp = (name: string) => isLeftoverTemp(name) && !writerAlive(name);

export function writeFileAtomic(target: string, data: string | Uint8Array): void {
  const temp = tempName(target);
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const fd = fs.openSync(temp, 'w');
    try {
      writeAll(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  } catch (err) {
    // A full disk must not also be left holding half of the file.
    fs.rmSync(temp, { force: true });
    throw storageError(err, target);
  }
}

/** write(2) may write less than asked (a size limit, a nearly full disk); the next call then reports why. */
function writeAll(fd: number, data: Uint8Array): void {
  for (let done = 0; done < data.byteLength; ) done += fs.writeSync(fd, data, done, data.byteLength - done);
}

export function writeJsonAtomic(target: string, value: unknown): void {
  writeFileAtomic(target, JSON.stringify(value, null, 2) + '\n');
}

/** Fills a fresh temporary directory with `fill`, then swaps it in for `target` in one rename. */
export async function replaceDirAtomic(target: string, fill: (dir: string) => Promise<void> | void): Promise<void> {
  const temp = tempName(target);
  try {
    fs.mkdirSync(temp, { recursive: true });
    await fill(temp);
    const old = fs.existsSync(target) ? tempName(target) + '.old' : undefined;
    if (old) fs.renameSync(target, old);
    fs.renameSync(temp, target);
    if (old) fs.rmSync(old, { recursive: true, force: true });
  } catch (err) {
    fs.rmSync(temp, { recursive: true, force: true });
    // Named by the folder being replaced, not by the temporary one that is gone now.
    throw err instanceof StorageError ? new StorageError(target, err.code, err.detail) : storageError(err, target);
  }
}

/** A JSON file automm wrote; a missing or corrupt one is named, not reported as a bare parse error. */
export function readJson<T>(file: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FileError(file, code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a folder, expected a JSON file' : `cannot be read (${code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new FileError(file, `is not valid JSON (${(err as Error).message}${text.length === 0 ? ': the file is empty' : ''}); it was damaged outside automm`);
  }
}

/** A file automm reads is missing or damaged: the input is wrong (exit code 2). */
export class FileError extends Error {
  constructor(readonly file: string, what: string) {
    super(`${file}: ${what}`);
    this.name = 'FileError';
  }
}

/** The disk refused a write (full, read-only, no permission): the machine, not the trial, is at fault. */
export class StorageError extends Error {
  constructor(readonly file: string, readonly code: string, readonly detail: string) {
    super(`cannot write ${file}: ${STORAGE_CODES[code] ?? code} (${detail})`);
    this.name = 'StorageError';
  }
}

const STORAGE_CODES: Record<string, string> = {
  ENOSPC: 'the disk is full', EDQUOT: 'the disk quota is exceeded', EROFS: 'the file system is read-only',
  EACCES: 'permission denied', EPERM: 'permission denied', EIO: 'an input/output error', EFBIG: 'the file size limit is exceeded',
};

/** fs errors of writing become StorageErrors naming the file; anything else passes through. */
export function storageError(err: unknown, file: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (err instanceof StorageError || !code || !(code in STORAGE_CODES)) return err;
  return new StorageError(file, code, (err as Error).message.split('\n')[0]);
}

/**
 * Recovers `target` after a killed replaceDirAtomic: a kill between its two renames leaves the old
 * folder as `<target>.tmp-…old` and no target (it is put back); temporary copies are removed.
 */
export function recoverReplacedDir(target: string): void {
  const dir = path.dirname(target);
  const base = path.basename(target);
  if (!fs.existsSync(dir)) return;
  const leftovers = fs.readdirSync(dir).filter((n) => n.startsWith(base + '.tmp-') && isStaleTemp(n)).sort();
  const old = leftovers.filter((n) => n.endsWith('.old')).at(-1);
  if (old && !fs.existsSync(target)) fs.renameSync(path.join(dir, old), target);
  for (const n of leftovers) fs.rmSync(path.join(dir, n), { recursive: true, force: true });
}

function writerAlive(name: string): boolean {
  const pid = Number(/\.tmp-(\d+)-/.exec(name)?.[1]);
  return pid !== process.pid && processAlive(pid);
}

/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
