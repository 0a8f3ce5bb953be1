/**
 * `npm run bench:quality`: on real public datasets, automm at a small budget against a hand-written
 * tfjs baseline, both scored on the same held-out test rows, in original units. Writes
 * bench-quality.json and prints a markdown table.
 *
 *   node dist/bench/quality/main.js [--only mnist,cars] [--trials 4] [--out bench-quality.json]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../engine/backend';
import { registerCustomLayers } from '../../blocks/registry';
import { loadSpec } from '../../spec/validate';
import { prepareData } from '../../data/prepare';
import { runSearch } from '../../search/run';
import { inProcessExecutor } from '../../search/executors';
import { exportBest, PREPROCESSING_JSON } from '../../export/export';
import { loadPredictor } from '../../export/predictor';
import { paths } from '../../search/project';
import { classificationScores, regressionScores } from '../../heads/scores';
import { DATASET_NAMES, Dataset, Row, loadDataset } from './datasets';
import { HeadPredictions, imageBaseline, tableBaseline } from './baselines';
import { withSeededMathRandom } from '../../util/rng';

type HeadScores = Record<string, number>;

export interface DatasetResult {
  name: string;
  kind: string;
  source: string;
  rows: { train: number; test: number };
  epochs: number;
  trials: number;
  /** The exported model (after refit), on the test rows. */
  automm: Record<string, HeadScores>;
  /** The best trial's own model before refit, on the same rows. */
  autommTrial: Record<string, HeadScores>;
  /** Means over BASELINE_SEEDS runs. */
  baseline: Record<string, HeadScores>;
  bestTrial: { id: string; values: Record<string, unknown> };
  seconds: { automm: number; baseline: number };
  /** Per head: automm's primary figure matches or beats the baseline's. */
  beats: Record<string, boolean>;
}

function parseArgs(argv: string[]) {
  const get = (flag: string) => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined; };
  return {
    only: (get('--only')?.split(',') ?? [...DATASET_NAMES]),
    trials: Number(get('--trials') ?? 4),
    out: get('--out') ?? 'bench-quality.json',
    work: get('--work') ?? path.join('runs', 'bench-quality'),
    digits: Number(get('--digits') ?? 200),
  };
}

const writeJsonl = (file: string, rows: Row[]) => fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

/** Accuracy and macro F1 from class names; MAE, RMSE and R² from numbers. */
export function scoreHead(type: 'classification' | 'regression', truth: Array<number | string>, predicted: Array<number | string>): HeadScores {
  if (type === 'regression') {
    const s = regressionScores(truth.map(Number), predicted.map(Number), 1);
    return { mae: s.mae, rmse: s.rmse, r2: s.r2 };
  }
  const classes = [...new Set(truth.map(String))];
  const oneHot = (labels: Array<number | string>) => labels.flatMap((l) => classes.map((c) => (String(l) === c ? 1 : 0)));
  const s = classificationScores(oneHot(truth), oneHot(predicted), classes.length, 'softmax');
  return { accuracy: s.accuracy, f1: s.f1 };
}

async function autommPredictions(modelDir: string, test: Row[], baseDir: string): Promise<HeadPredictions> {
  const predictor = await loadPredictor(modelDir);
  try {
    const predictions = await predictor.predict(test, { baseDir });
    const heads = Object.keys(predictions[0] ?? {});
    return Object.fromEntries(heads.map((h) => [h, predictions.map((p) => { const v = p[h]; return 'value' in v ? v.value : v.label; })]));
  } finally {
    predictor.dispose();
  }
}

async function runAutomm(ds: Dataset, dir: string, trials: number) {
  writeJsonl(path.join(dir, 'train.jsonl'), ds.train);
  writeJsonl(path.join(dir, 'test.jsonl'), ds.test);
  const specFile = path.join(dir, 'spec.yaml');
  // JSON is YAML: the spec a user would write for these files, at the small budget.
  fs.writeFileSync(specFile, JSON.stringify({ name: ds.name, seed: 0, data: { source: 'train.jsonl', test: 'test.jsonl' }, ...ds.spec, search: { max_trials: trials, epochs: ds.epochs } }, null, 2));
  const spec = loadSpec(specFile);
  const project = path.join(dir, 'project');
  const data = await prepareData(spec);
  const started = Date.now();
  const board = await runSearch(spec, data, inProcessExecutor(spec, data, project, tf.getBackend()), { project, overwrite: true });
  const seconds = (Date.now() - started) / 1000;
  const exported = path.join(dir, 'export');
  await exportBest(project, exported);
  // The best trial's own model, before refit, with the same preprocessing: is refit ever worse?
  const trialDir = path.join(dir, 'best-trial');
  fs.rmSync(trialDir, { recursive: true, force: true });
  fs.cpSync(paths(project).trialModel(board.best!), trialDir, { recursive: true });
  fs.copyFileSync(path.join(exported, PREPROCESSING_JSON), path.join(trialDir, PREPROCESSING_JSON));
  const best = board.trials.find((t) => t.id === board.best)!;
  return { exported, trialDir, seconds, best: { id: best.id, values: best.values } };
}

function baseline(ds: Dataset, dir: string): Promise<HeadPredictions> {
  if (ds.name === 'mnist') return imageBaseline(ds, dir, 'image');
  const inputs = ds.spec.inputs as Record<string, { type: string; column?: string; columns?: string[] }>;
  const columns = Object.values(inputs).flatMap((i) => (i.type === 'structured' ? i.columns ?? [] : []));
  const text = Object.values(inputs).flatMap((i) => (i.type === 'text' ? [i.column!] : []));
  return tableBaseline(ds, columns, text);
}

/** The baseline's figures are means over these seeds (its initialisation and shuffles): one run is too noisy to beat. */
const BASELINE_SEEDS = [1, 2, 3];

function meanScores(runs: Array<Record<string, HeadScores>>): Record<string, HeadScores> {
  return Object.fromEntries(Object.keys(runs[0]).map((h) => [h, Object.fromEntries(Object.keys(runs[0][h]).map((k) => [k, runs.reduce((a, r) => a + r[h][k], 0) / runs.length]))]));
}

const scoreAll = (ds: Dataset, predictions: HeadPredictions) =>
  Object.fromEntries(ds.heads.map((h) => [h.name, scoreHead(h.type, ds.test.map((r) => r[h.column] as number | string), predictions[h.name])]));

/**
 * The figure compared: MAE for regression (matching: within 1%), accuracy for classification
 * (matching: within one held-out row, the finest step an accuracy on these rows can take).
 */
const beats = (type: string, a: HeadScores, b: HeadScores, testRows: number) =>
  type === 'regression' ? a.mae <= b.mae * 1.01 : a.accuracy >= b.accuracy - 1 / testRows - 1e-9;

export async function benchDataset(name: string, options: ReturnType<typeof parseArgs>): Promise<DatasetResult> {
  const dir = path.resolve(options.work, name);
  fs.mkdirSync(dir, { recursive: true });
  const ds = await loadDataset(name, dir, { digitsPerClass: options.digits });
  const run = await runAutomm(ds, dir, options.trials);
  const automm = scoreAll(ds, await autommPredictions(run.exported, ds.test, dir));
  const autommTrial = scoreAll(ds, await autommPredictions(run.trialDir, ds.test, dir));
  const started = Date.now();
  const runs: Array<Record<string, HeadScores>> = [];
  // One at a time: each seeds the global Math.random that tfjs initialisers and shuffles read.
  for (const seed of BASELINE_SEEDS) runs.push(await withSeededMathRandom(seed, async () => scoreAll(ds, await baseline(ds, dir))));
  const base = meanScores(runs);
  const baselineSeconds = (Date.now() - started) / 1000 / BASELINE_SEEDS.length;
  return {
    name: ds.name, kind: ds.kind, source: ds.source, rows: { train: ds.train.length, test: ds.test.length }, epochs: ds.epochs, trials: options.trials,
    automm, autommTrial, baseline: base, bestTrial: run.best, seconds: { automm: run.seconds, baseline: baselineSeconds },
    beats: Object.fromEntries(ds.heads.map((h) => [h.name, beats(h.type, automm[h.name], base[h.name], ds.test.length)])),
  };
}

const fmt = (v: number) => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en') : v.toPrecision(3));
const figures = (s: HeadScores) => Object.entries(s).map(([k, v]) => `${k} ${fmt(v)}`).join(', ');

export function markdownTable(results: DatasetResult[]): string {
  const lines = ['| dataset | rows train/test | head | automm (exported, refit) | automm best trial, before refit | hand-written tfjs baseline | automm matches or beats |', '|---|---|---|---|---|---|---|'];
  for (const r of results) {
    for (const head of Object.keys(r.automm)) {
      lines.push(`| ${r.name}: ${r.kind} | ${r.rows.train}/${r.rows.test} | ${head} | ${figures(r.automm[head])} | ${figures(r.autommTrial[head])} | ${figures(r.baseline[head])} | ${r.beats[head] ? 'yes' : 'no'} |`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const engine = await initEngine('auto');
  registerCustomLayers();
  const results: DatasetResult[] = [];
  for (const name of options.only) {
    process.stderr.write(`bench:quality ${name} ...\n`);
    const r = await benchDataset(name, options);
    process.stderr.write(`${name}: automm ${JSON.stringify(r.automm)} (trial before refit ${JSON.stringify(r.autommTrial)}) baseline ${JSON.stringify(r.baseline)}; ${r.seconds.automm.toFixed(0)} s\n`);
    results.push(r);
  }
  fs.writeFileSync(options.out, JSON.stringify({ date: new Date().toISOString(), backend: engine.backend ?? tf.getBackend(), results }, null, 2) + '\n');
  process.stdout.write(markdownTable(results) + '\n');
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  });
}
