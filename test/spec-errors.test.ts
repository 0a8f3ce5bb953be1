/**
 * Spec errors, checked against golden texts (refresh with UPDATE_GOLDEN=1): every problem at once,
 * each with file:line:col, key path, what was expected and what was found.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSpecText } from '../src/spec/validate';
import { SpecError } from '../src/spec/errors';
import { automm, scratch, ROOT } from './helpers';

const GOLDEN = path.join(ROOT, 'test', 'golden');

const BASE = `name: shop
data: {source: random, rows: 40}
inputs:
  photo: {type: image, shape: [16, 16, 3]}
  attrs: {type: structured, columns: 4}
`;

const CASES: Record<string, string> = {
  'bad-values': `${BASE}blocks:
  conv: {type: conv, input: photo, filters: "64x", kernel_size: {choice: []}}
  dense: {type: dense, input: attrs, dropout: 1.5}
  joint: {type: merge, inputs: [conv, dense]}
heads:
  price: {type: regression, input: joint}
search: {max_trials: 0, tuner: grredy}
`,
  'unknown-names': `${BASE}blocks:
  encoder: {type: convv, input: photo}
  conv: {type: conv, input: phtoo, fliters: 32}
  joint: {type: merge, inputs: [conv, attrs]}
heads:
  label: {type: classification, input: encdoer, classes: 3}
  price: {type: regression, input: joint}
loss_weights: {prize: 0.5}
`,
  'graph-shape': `${BASE}blocks:
  a: {type: dense, input: b}
  b: {type: dense, input: a}
  lonely: {type: dense, input: attrs}
heads:
  price: {type: regression, input: a}
  label: {type: classification, classes: 3}
search: {objective: val_label_acuracy}
`,
  'missing-keys': `name: "bad name!"
inputs:
  photo: {type: image, shape: [16, 16]}
  review: {type: text, max_tokens: 2}
heads: {}
extra: 1
`,
  'yaml-syntax': `name: shop
inputs:
  photo: {type: image, shape: [16, 16, 3]
heads:
`,
};

function messageOf(text: string): string {
  try {
    loadSpecText(text, 'spec.yaml');
  } catch (err) {
    return err instanceof SpecError ? err.message + '\n' : `${(err as Error).name}: ${(err as Error).message}\n`;
  }
  return 'valid\n';
}

for (const [name, text] of Object.entries(CASES)) {
  test(`spec errors: ${name}`, () => {
    const file = path.join(GOLDEN, `${name}.txt`);
    const actual = messageOf(text);
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(file, actual);
    assert.equal(actual, fs.readFileSync(file, 'utf8'));
  });
}

test('automm validate exits 2 and trains nothing on a bad spec', () => {
  const dir = scratch();
  const file = path.join(dir, 'spec.yaml');
  fs.writeFileSync(file, CASES['unknown-names']);
  const r = automm(['validate', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /spec\.yaml:\d+:\d+ {2}heads\.label\.input: unknown node "encdoer".*did you mean "encoder"/);
  assert.match(r.stderr, /problems; nothing was trained\./);
  const s = automm(['search', file, '--out', dir]);
  assert.equal(s.code, 2);
  assert.ok(!fs.existsSync(path.join(dir, 'shop')), 'no project written');
});

test('every example spec in specs/ is valid', () => {
  for (const f of fs.readdirSync(path.join(ROOT, 'specs')).filter((f) => f.endsWith('.yaml'))) {
    const r = automm(['validate', path.join(ROOT, 'specs', f)]);
    assert.equal(r.code, 0, `${f}: ${r.stderr}`);
  }
});

test('searched loss weights: the default objective is weight-independent, and val_loss is refused', () => {
  const spec = `name: lw
data: {source: random}
inputs: {n: {type: structured, columns: 3}}
heads: {y: {type: regression}, c: {type: classification, classes: 2}}
loss_weights: {y: {float: [0.1, 2.0]}}
`;
  assert.deepEqual(loadSpecText(spec).search.objective, { metric: 'val_unweighted_loss', direction: 'min' });
  assert.match(messageOf(spec + 'search: {objective: val_loss}\n'), /spec\.yaml:6:21 {2}search\.objective: "val_loss" weighs heads by the loss weights being searched/);
});
