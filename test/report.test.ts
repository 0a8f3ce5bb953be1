/**
 * End to end: one tiny search of the pets table (data.test, a classification and a regression head)
 * and one of the quickstart spec, then everything that reads a finished search: report.html,
 * `report`, `evaluate`, `summary --graph`, the TensorBoard logs, and both reports in headless
 * Chromium (one launch): no console errors, no request beyond the page, charts present, text inside
 * the diagram's boxes. Screenshots are kept in test-artifacts/.
 */
import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { automm, ROOT, scratch, spec } from './helpers';
import { eventsIn, fields, str } from '../src/tensorboard/testing';
import { findChromium, openReports } from './report-browser';

const dir = scratch('automm-report-');
const pets = path.join(dir, 'runs', 'table-pets');
const quick = path.join(dir, 'runs', 'quickstart');
let events: Array<Record<string, unknown>> = [];

before(() => {
  const r = automm(['search', spec('table-pets.yaml'), '--json'], dir);
  assert.equal(r.code, 0, r.stderr);
  events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const q = automm(['search', spec('quickstart.yaml'), '--max-trials', '2', '--epochs', '1', '--quiet'], dir);
  assert.equal(q.code, 0, q.stderr);
});

test('search --json prints only JSON events, from start to finish', () => {
  assert.equal(events[0].event, 'start');
  assert.equal(events.at(-1)!.event, 'finish');
  assert.ok(events.some((e) => e.event === 'refit_started'));
  assert.equal(events.filter((e) => e.event === 'trial_ended').length, 2);
});

test('every search writes report.html; automm report writes it again', () => {
  for (const p of [pets, quick]) assert.ok(fs.statSync(path.join(p, 'report.html')).size > 10_000);
  const out = path.join(dir, 'again.html');
  const r = automm(['report', '--project', pets, '--out', out], dir);
  assert.equal(r.code, 0, r.stderr);
  const html = fs.readFileSync(out, 'utf8');
  assert.doesNotMatch(html, /(src|href)="(?!#)|https?:\/\/(?!www\.w3\.org\/(2000\/svg|1999\/xlink))|<script|@import|url\(/, 'nothing that fetches');
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('evaluate scores data.test exactly as the report does, in text and JSON', () => {
  const test = path.join(ROOT, 'fixtures', 'pets', 'test.csv');
  const json = automm(['evaluate', '--model', path.join(pets, 'best'), '--data', test, '--json'], dir);
  assert.equal(json.code, 0, json.stderr);
  const heads = JSON.parse(json.stdout).heads;
  const analysis = JSON.parse(fs.readFileSync(path.join(pets, 'analysis.json'), 'utf8'));
  assert.deepEqual(heads, analysis.test, 'the same model on the same rows');
  const label = heads.find((h: { head: string }) => h.head === 'label');
  assert.deepEqual(label.classNames, ['cat', 'dog', 'rabbit']);
  assert.equal(label.scores.confusion.flat().reduce((a: number, b: number) => a + b, 0), label.rows);
  const text = automm(['evaluate', '--model', path.join(pets, 'best'), '--data', test], dir);
  assert.match(text.stdout, /^label \(classification, 12 rows\): accuracy [\d.]+, precision [\d.]+, recall [\d.]+, f1 [\d.]+, log_loss [\d.]+/m);
  assert.match(text.stdout, /actual \\ predicted +cat +dog +rabbit/);
  assert.match(text.stdout, /^fee \(regression, 12 rows\): mae [\d.e+-]+, mse [\d.e+-]+, rmse [\d.e+-]+, r2 /m);
  const missing = automm(['evaluate', '--model', path.join(pets, 'best'), '--data', path.join(dir, 'nope.csv')], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--data .*nope.csv: file not found/);
});

test('summary: whole shapes, varied hyperparameters marked, the project it picked, and --graph as SVG and PNG', () => {
  const svgFile = path.join(dir, 'model.svg'), pngFile = path.join(dir, 'model.png');
  const r = automm(['summary', '--graph', svgFile], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^project: runs\/quickstart \(the newest search under runs\/; choose another with --project\)/m);
  assert.match(r.stdout, /\(None, 32, 32, 3\)/);
  assert.match(r.stdout, /^\* \S+ = .+ {3}\(tried: .+, .+\)$/m);
  const svg = fs.readFileSync(svgFile, 'utf8');
  assert.match(svg, /<svg[^>]+viewBox/);
  assert.ok((svg.match(/class="node"/g) ?? []).length >= 6);
  assert.match(svg, /output: \(None, 32, 32, 3\)/);
  assert.equal(automm(['summary', '--project', pets, '--graph', pngFile], dir).code, 0);
  assert.deepEqual([...fs.readFileSync(pngFile).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const bad = automm(['summary', '--graph', path.join(dir, 'model.gif')], dir);
  assert.equal(bad.code, 2);
  const exported = automm(['export', '--best', '--out', path.join(dir, 'exported')], dir);
  assert.match(exported.stderr, /^project: runs\/quickstart/m);
});

test('TensorBoard logs: scalars per trial and split, HParams sessions, and the best model graph', () => {
  const tb = path.join(pets, 'tensorboard');
  const val = eventsIn(path.join(tb, 'trial_000', 'validation')).flatMap((e) => e.values.map((v) => v.tag));
  for (const tag of ['epoch_loss', 'epoch_label_loss', 'epoch_label_accuracy', 'epoch_fee_mae']) assert.ok(val.includes(tag), `${tag} in ${val}`);
  const history = JSON.parse(fs.readFileSync(path.join(pets, 'trials', 'trial_000', 'trial.json'), 'utf8')).history;
  const losses = eventsIn(path.join(tb, 'trial_000', 'validation')).filter((e) => e.values[0]?.tag === 'epoch_loss').map((e) => e.values[0].simple);
  assert.deepEqual(losses, history.map((h: Record<string, number>) => Math.fround(h.val_loss)));
  assert.ok(eventsIn(tb).some((e) => e.values.some((v) => v.tag === '_hparams_/experiment')));
  const best = JSON.parse(fs.readFileSync(path.join(pets, 'leaderboard.json'), 'utf8')).best;
  const graph = eventsIn(path.join(tb, best)).find((e) => e.graph)!.graph!;
  const nodes = (fields(graph).get(1) ?? []).map((f) => fields(f.value as Buffer));
  const byName = new Map(nodes.map((n) => [str(n, 1), n]));
  assert.equal(str(byName.get('label')!, 2), 'Dense');
  assert.ok((byName.get('label')!.get(3) ?? []).length >= 1, 'the head has an input edge');
});

test('both reports open in headless Chromium: no console errors, no requests, charts present, text inside the boxes', async (t) => {
  const chromium = findChromium();
  if (!chromium) {
    if (process.env.CI === 'true') assert.fail('chromium is not installed (.ci/run installs it)');
    return t.skip('chromium is not installed');
  }
  const artifacts = path.join(ROOT, 'test-artifacts');
  const results = await openReports(chromium, [
    { file: path.join(pets, 'report.html'), screenshot: path.join(artifacts, 'report-table-pets.png') },
    { file: path.join(quick, 'report.html'), screenshot: path.join(artifacts, 'report-quickstart.png') },
  ]);
  for (const r of results) {
    assert.deepEqual(r.console, [], `${r.file}: console`);
    assert.deepEqual(r.requests, [r.url], `${r.file}: only the page itself`);
    assert.deepEqual(r.overflowing, [], `${r.file}: diagram text outside its box`);
    for (const s of ['leaderboard', 'progress', 'curves', 'hyperparameters', 'model', 'data']) assert.ok(r.charts[s] >= 1, `${r.file}: a chart in #${s} (${JSON.stringify(r.charts)})`);
    assert.ok(fs.statSync(r.screenshot).size > 20_000);
  }
  assert.ok(results[0].charts.test >= 3, 'confusion matrix, predicted vs actual, residuals');
});
