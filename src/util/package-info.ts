import * as fs from 'node:fs';
import * as path from 'node:path';

/** automm's own package.json, found by walking up from the compiled file (dist/ layouts differ). */
export function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (pkg.name === 'automm') return pkg.version;
    }
  }
  return 'unknown';
}
