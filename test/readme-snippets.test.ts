/**
 * The README's JavaScript snippets, run as written (with `require('automm')` pointed at this build)
 * in a scratch folder holding the fixtures, each in its own process: a snippet that crashes fails here.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, scratch } from './helpers';
import { search, type SearchEvent, type Spec } from '../src/index';

const LIBRARY = path.join(__dirname, '..', 'src', 'index.js');

/** Every ```js block of the README, with the heading it sits under. */
function snippets(): Array<{ heading: string; code: string }> {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const found: Array<{ heading: string; code: string }> = [];
  let heading = '';
  const lines = readme.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (/^#+ /.test(lines[i])) heading = lines[i].replace(/^#+ /, '');
    if (lines[i].trim() !== '```js') continue;
    const start = i + 1;
    while (lines[++i].trim() !== '```');
    found.push({ heading, code: lines.slice(start, i).map((l) => l.replace(/^ {2}/, '')).join('\n') });
  }
  return found;
}

test('the README has library snippets, and every one runs', () => {
  const all = snippets();
  assert.ok(all.length >= 1 && all.some((s) => /\bsearch\(/.test(s.code)) && all.some((s) => /\bloadPredictor\(/.test(s.code)), 'README shows search() and loadPredictor()');
  for (const [k, snippet] of all.entries()) {
    const dir = scratch('automm-readme-');
    fs.symlinkSync(path.join(ROOT, 'fixtures'), path.join(dir, 'fixtures'));
    fs.symlinkSync(path.join(ROOT, 'specs'), path.join(dir, 'specs'));
    const file = path.join(dir, `snippet-${k}.js`);
    fs.writeFileSync(file, snippet.code.replace(/require\('automm'\)/g, `require(${JSON.stringify(LIBRARY)})`));
    const run = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `README snippet under "${snippet.heading}" failed:\n${run.stderr}`);
    assert.match(run.stdout, /\S/, `README snippet under "${snippet.heading}" printed nothing`);
    if (/\bsearch\(/.test(snippet.code)) assert.match(run.stdout, /best: trial_000\n(cat|dog|rabbit) \{/);
  }
});

test('search() takes a spec object typed by Spec and reports its problems against the object', async () => {
  // Type-checked against the schema-generated Spec: a misspelt key or a wrong type fails to compile.
  const spec: Spec = {
    name: 'typed',
    data: { source: 'random', rows: 16 },
    inputs: { attrs: { type: 'structured', columns: 3 } },
    heads: { y: { type: 'classification', classes: 1 } },
  };
  await assert.rejects(search(spec, { out: scratch() }), (err: Error) => {
    assert.equal(err.name, 'SpecError');
    assert.match(err.message, /^spec object:\d+:\d+ +heads\.y\.classes: expected an integer >= 2/);
    return true;
  });
});

test('search() passes on, as note events, what the CLI prints as it goes (here: workers capped by the cores)', async () => {
  const events: SearchEvent[] = [];
  const spec: Spec = {
    name: 'noted',
    data: { source: 'random', rows: 32 },
    inputs: { attrs: { type: 'structured', columns: 3 } },
    heads: { y: { type: 'classification', classes: 2 } },
    search: { max_trials: 1, epochs: 1 },
  };
  await search(spec, { out: scratch(), workers: 4096, report: false, onEvent: (e) => events.push(e) });
  const notes = events.filter((e) => e.type === 'note');
  assert.equal(notes.length, 1, JSON.stringify(notes));
  assert.match((notes[0] as { message: string }).message, /^4096 workers asked, \d+ used \(/);
  assert.ok(events.indexOf(notes[0]) < events.findIndex((e) => e.type === 'start'), 'the note comes before the search starts');
});
