/** Shared set-up for the end-to-end tests: a scratch directory and the CLI run in a child process. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

export const ROOT = path.resolve(__dirname, '..', '..');
/** The compiled CLI beside these compiled tests (bin/automm launches the same file). */
export const CLI = path.join(__dirname, '..', 'src', 'cli', 'main.js');

export function scratch(prefix = 'automm-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function automm(args: string[], cwd = ROOT): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, AUTOMM_DEBUG: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export const spec = (name: string) => path.join(ROOT, 'specs', name);
