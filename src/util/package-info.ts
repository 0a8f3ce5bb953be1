import * as fs from 'node:fs';
import * as path from 'node:path';

/** automm's own package.json, found by walking up from the compiled file (dist/ layouts differ). */
export function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** The directory holding automm's package.json (specs/ and src/ live beside it). */
export function packageRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')).name === 'automm') return dir;
  }
  throw new Error(`automm's package.json not found above ${__dirname}`);
}
