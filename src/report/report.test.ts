/** The report's parts on made-up trials: charts, the page, the diagram. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { rankTrials } from '../search/rank';
import type { Trial } from '../search/trial';
import { learningCurves, parameterImportance, testCharts } from './charts';
import { modelDot, renderDot, svgToPng } from './diagram';
import { renderReport } from './html';
import type { LayerInfo } from './layers';
import { heatmap, tickLabels, ticks } from './svg';

const trial = (index: number, lr: number, opt: string, score: number): Trial => ({
  id: `trial_00${index}`, index, values: { learning_rate: lr, optimizer: opt }, space: {}, seed: 1, epochs: 2, status: 'completed', score, bestEpoch: 1,
  params: 100, durationMs: 1000, startedAt: new Date(1_700_000_000_000 + index * 60_000).toISOString(),
  history: [{ loss: 2, val_loss: 2.5, y_mae: 1, val_y_mae: 1.2 }, { loss: 1, val_loss: score, y_mae: 0.5, val_y_mae: 0.7 }],
});
// The optimizer decides the score; the learning rate does not.
const trials = [trial(0, 0.001, 'adam', 1), trial(1, 0.01, 'sgd', 3), trial(2, 0.001, 'sgd', 3), trial(3, 0.01, 'adam', 1)];

test('neighbouring tick labels never print alike', () => {
  const labels = tickLabels(ticks(1.5991, 1.6012));
  assert.equal(new Set(labels).size, labels.length, labels.join(' '));
  assert.deepEqual(tickLabels([0, 0.5, 1]), ['0.0', '0.5', '1.0']);
});

test('importance credits the parameter that explains the objective', () => {
  const imp = Object.fromEntries(parameterImportance(trials).map((i) => [i.name, i.share]));
  assert.equal(imp.optimizer, 1);
  assert.equal(imp.learning_rate, 0);
});

test('learning curves: one chart per logged quantity with a validation twin', () => {
  assert.deepEqual(learningCurves(trials).map((c) => c.key), ['loss', 'y_mae']);
});

test('a confusion matrix shows every count', () => {
  const svg = heatmap([[5, 1], [2, 7]], ['a', 'b'], ['a', 'b'], { title: 't', rowLabel: 'actual', colLabel: 'predicted' });
  for (const n of ['5', '1', '2', '7']) assert.match(svg, new RegExp(`>${n}</text>`));
});

test('the page has every section and nothing that fetches', () => {
  const html = renderReport({
    board: { name: 'demo', objective: { metric: 'val_loss', direction: 'min' }, backend: 'cpu', status: 'finished', best: 'trial_000', trials: trials.map((t) => ({ ...t, validation: { val_loss: t.score! } })) },
    trials, generated: new Date(0),
  });
  for (const id of ['leaderboard', 'progress', 'curves', 'hyperparameters', 'model', 'test', 'data']) assert.match(html, new RegExp(`<section id="${id}">`));
  assert.ok((html.match(/<svg /g) ?? []).length >= 6);
  assert.doesNotMatch(html, /<script|(src|href)="(?!#)|url\(/);
});

test('the leaderboard lists trials in rankTrials order, best first, then the unranked ones as the board lists them', () => {
  // A max objective with an infinite score: rankTrials leaves it unranked, so the best trial still heads the table.
  const all: Trial[] = [
    { ...trial(0, 0.001, 'adam', Infinity) },
    { ...trial(1, 0.01, 'sgd', 0.7) },
    { ...trial(2, 0.001, 'sgd', 0.9) },
    { ...trial(3, 0.01, 'adam', 0), status: 'failed', score: undefined, message: 'boom' },
    { ...trial(4, 0.1, 'adam', 0.9) },
  ];
  const objective = { metric: 'val_accuracy', direction: 'max' as const };
  const html = renderReport({
    board: { name: 'demo', objective, backend: 'cpu', status: 'finished', best: rankTrials(all, objective)[0].id, trials: all.map((t) => ({ ...t, validation: {} })) },
    trials: all, generated: new Date(0),
  });
  const rows = [...html.matchAll(/<td class="l">(trial_\d+)<\/td><td class="l" title=/g)].map((m) => m[1]);
  assert.deepEqual(rows, ['trial_002', 'trial_004', 'trial_001', 'trial_000', 'trial_003']);
  assert.match(html, /<tr class="best"><td class="l">trial_002</);
});

test('the diagram: a box per layer with its whole shape, an edge per connection, and a PNG', async () => {
  const layers: LayerInfo[] = [
    { name: 'photo', className: 'InputLayer', inbound: [], outputShapes: [[null, 32, 32, 3]], params: 0, isInput: true, isOutput: false },
    { name: 'flat', className: 'Flatten', inbound: ['photo'], outputShapes: [[null, 3072]], params: 0, isInput: false, isOutput: false },
    { name: 'label', className: 'Dense', inbound: ['flat'], outputShapes: [[null, 5]], params: 15365, isInput: false, isOutput: true },
  ];
  const dot = modelDot(layers);
  assert.match(dot, /"photo" -> "flat";\n {2}"flat" -> "label";/);
  const svg = await renderDot(dot);
  assert.equal((svg.match(/class="node"/g) ?? []).length, 3);
  assert.equal((svg.match(/class="edge"/g) ?? []).length, 2);
  assert.match(svg, /output: \(None, 32, 32, 3\)/);
  assert.match(svg, /15,365 params/);
  const png = await svgToPng(svg);
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
});

test('test-set charts: a binary head gets its confusion matrix and ROC curve, a regression head two scatters', () => {
  const binary = testCharts({ head: 'spam', type: 'classification', mode: 'binary', classNames: ['no', 'yes'], rows: 4,
    scores: { accuracy: 0.75, precision: 0.75, recall: 0.75, f1: 0.73, log_loss: 0.5, auc: 0.75, confusion: [[1, 1], [0, 2]] }, roc: { fpr: [0, 0, 0.5, 1], tpr: [0, 0.5, 1, 1] } });
  assert.equal(binary.length, 2);
  assert.match(binary[1], /ROC, AUC 0.75/);
  const regression = testCharts({ head: 'price', type: 'regression', rows: 3, scores: { mae: 1, mse: 1, rmse: 1, r2: 0.5 }, points: { actual: [1, 2, 3], predicted: [1.5, 2, 2] } });
  assert.deepEqual(regression.map((s) => /aria-label="([^"]+)"/.exec(s)![1]), ['price: predicted vs actual on data.test', 'price: residuals on data.test']);
  assert.equal((regression[1].match(/<circle/g) ?? []).length, 3);
});
