/** The README's spec reference is generated from the registries; this keeps the two in step. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REFERENCE_BEGIN, REFERENCE_END, referenceMarkdown } from '../src/spec/reference';
import { ROOT } from './helpers';

test('README spec reference matches the registries (regenerate: automm schema --markdown)', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(REFERENCE_BEGIN);
  const end = readme.indexOf(REFERENCE_END);
  assert.ok(start >= 0 && end > start, 'README has the reference markers');
  assert.equal(readme.slice(start, end + REFERENCE_END.length), referenceMarkdown());
});

test('README shows the two commands', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  assert.match(readme, /npm ci && npx automm search specs\/quickstart\.yaml/);
  assert.match(readme, /npm ci && npm test/);
});
