import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSpecText, readSpecFile } from './load';
import { GENERATED_FILE, compileNow, generatedSource, loadGenerated } from './validator';
import { packageRoot } from '../util/package-info';

const BROKEN = [
  `name: x\ninputs: {a: {type: image, shape: [1, 2]}}\nheads: {h: {type: regression, foo: 1}}\nsearch: {max_trials: "x"}\n`,
  `name: 3\ndata: {source: random, rows: -1}\ninputs: {t: {type: text, max_tokens: 0}}\nblocks: {c: {type: convv, input: t}}\nheads: {y: {type: classification, input: c, classes: 1}}\n`,
  `inputs: {}\nheads: {h: {type: regression}}\nloss_weights: {h: {float: [0, "a"]}}\nsearch: {tuner: grredy, learning_rate: {float: [1, 2], sampling: log}}\n`,
];

/** Every bundled spec (valid) and the broken ones above, as the validator sees them. */
function samples(): unknown[] {
  const dir = path.join(packageRoot(), 'specs');
  const bundled = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => readSpecFile(path.join(dir, f)).data);
  return [...bundled, ...BROKEN.map((text) => parseSpecText(text, 'broken.yaml').data)];
}

test('the build-time (standalone) validator gives exactly the errors of one compiled at run time', () => {
  const dir = fs.mkdtempSync(path.join(__dirname, 'validator-'));
  try {
    fs.writeFileSync(path.join(dir, GENERATED_FILE), generatedSource());
    const generated = loadGenerated(dir);
    assert.ok(generated, 'the generated validator was not taken');
    const runtime = compileNow();
    let failing = 0;
    for (const data of samples()) {
      assert.equal(generated(data), runtime(data));
      // As JSON: the run-time errors point at TypeBox objects, whose symbol keys do not matter.
      assert.deepEqual(JSON.parse(JSON.stringify(generated.errors ?? null)), JSON.parse(JSON.stringify(runtime.errors ?? null)));
      if (runtime.errors) failing++;
    }
    assert.equal(failing, BROKEN.length);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a generated validator made from another schema is not used', () => {
  const dir = fs.mkdtempSync(path.join(__dirname, 'validator-'));
  try {
    const stale = generatedSource().replace(/module\.exports\.schemaHash = "[0-9a-f]+";/, 'module.exports.schemaHash = "0";');
    assert.notEqual(stale, generatedSource());
    fs.writeFileSync(path.join(dir, GENERATED_FILE), stale);
    assert.equal(loadGenerated(dir), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
