/** The report's charts of a search: from trial records (histories, values, scores) to SVG. */
import type { Trial } from '../search/trial';
import { varyingNames } from '../search/hp';
import type { Objective } from '../spec/types';
import { formatScore, formatValue } from '../util/format';
import type { HeadEvaluation } from '../export/evaluate';
import { barChart, color, esc, extent, frame, heatmap, lineChart, Series, svg, truncate } from './svg';

/** Positive values spanning two orders of magnitude or more are drawn on a log axis. */
const logScale = (v: number[]) => v.every((x) => x > 0) && Math.max(...v) / Math.min(...v) >= 100;

const scored = (trials: Trial[]) => trials.filter((t) => t.score !== undefined && Number.isFinite(t.score));
const endMs = (t: Trial) => Date.parse(t.startedAt ?? '') + (t.durationMs ?? 0);

/** Each trial's objective against the time it finished, and the best so far as a step line. */
export function objectiveOverTime(trials: Trial[], objective: Objective): string {
  const done = scored(trials).filter((t) => Number.isFinite(endMs(t))).sort((a, b) => endMs(a) - endMs(b));
  const t0 = Math.min(...trials.map((t) => Date.parse(t.startedAt ?? '')).filter(Number.isFinite));
  const minutes = (t: Trial) => (endMs(t) - t0) / 60000;
  let best: number | undefined;
  const steps: Array<[number, number]> = [];
  for (const t of done) {
    if (best !== undefined) steps.push([minutes(t), best]);
    if (best === undefined || (objective.direction === 'min' ? t.score! < best : t.score! > best)) best = t.score!;
    steps.push([minutes(t), best]);
  }
  const series: Series[] = [
    { name: 'trial', points: done.map((t) => [minutes(t), t.score!]), color: color(0), noLine: true },
    { name: `best ${objective.metric} so far`, points: steps, color: color(2) },
  ];
  const last = Math.max(0, ...steps.map(([m]) => m));
  return lineChart(series, { title: `${objective.metric} per trial over time`, x: [0, last > 0 ? last * 1.05 : 1], xLabel: 'minutes since the search started', yLabel: objective.metric });
}

/**
 * One chart per logged quantity that has a validation twin (loss, each head's loss and metrics):
 * every trial's training curve (dashed) and validation curve (solid), by epoch.
 */
export function learningCurves(trials: Trial[]): Array<{ key: string; svg: string }> {
  const withHistory = trials.filter((t) => t.history?.length);
  const keys = [...new Set(withHistory.flatMap((t) => Object.keys(t.history[0] ?? {})))].filter((k) => !k.startsWith('val_') && withHistory.some((t) => `val_${k}` in (t.history[0] ?? {})));
  return keys.map((key) => {
    const series = withHistory.flatMap((t, i): Series[] => [
      { name: `${t.id} train`, points: t.history.map((h, e) => [e + 1, h[key]]), color: color(i), dashed: true, dots: t.history.length < 3 },
      { name: `${t.id} validation`, points: t.history.map((h, e) => [e + 1, h[`val_${key}`]]), color: color(i), dots: t.history.length < 3 },
    ]);
    const epochs = Math.max(...withHistory.map((t) => t.history.length));
    const legend = withHistory.length <= 12 ? withHistory.map((t, i) => ({ name: t.id, color: color(i) })) : [];
    return { key, svg: lineChart(series, { title: `${key}: training (dashed) and validation (solid) by epoch`, xLabel: 'epoch', yLabel: key, x: [1, Math.max(2, epochs)], integerX: true, legend }) };
  });
}



type Axis = { name: string; pos: (t: Trial) => number | undefined; labels: Array<[number, string]> };

function paramAxis(name: string, trials: Trial[]): Axis {
  const values = trials.map((t) => t.values[name]);
  if (values.every((v) => typeof v === 'number' || v === undefined)) {
    const nums = values.filter((v): v is number => typeof v === 'number');
    const log = logScale(nums);
    const tf = (v: number) => (log ? Math.log10(v) : v);
    const [lo, hi] = extent(nums.map(tf), 0);
    const pos = (t: Trial) => (typeof t.values[name] === 'number' ? (tf(t.values[name] as number) - lo) / (hi - lo || 1) : undefined);
    return { name, pos, labels: [[0, formatScore(log ? 10 ** lo : lo)], [1, formatScore(log ? 10 ** hi : hi)]] };
  }
  const cats = [...new Set(values.filter((v) => v !== undefined).map((v) => formatValue(v)))].sort();
  const at = (c: string) => (cats.length === 1 ? 0.5 : cats.indexOf(c) / (cats.length - 1));
  return { name, pos: (t) => (t.values[name] === undefined ? undefined : at(formatValue(t.values[name]))), labels: cats.map((c) => [at(c), c]) };
}

/** Every trial as a line across one axis per varying hyperparameter and the objective, coloured by the objective. */
export function parallelCoordinates(trials: Trial[], objective: Objective): string | undefined {
  const done = scored(trials);
  const params = varyingNames(done);
  if (done.length < 2 || params.length === 0) return undefined;
  const [lo, hi] = extent(done.map((t) => t.score!), 0);
  const axes: Axis[] = [...params.map((p) => paramAxis(p, done)), { name: objective.metric, pos: (t) => (t.score! - lo) / (hi - lo || 1), labels: [[0, formatScore(lo)], [1, formatScore(hi)]] }];
  const width = Math.max(420, axes.length * 120), height = 300, top = 40, bottom = 30;
  const x = (i: number) => 60 + (i * (width - 120)) / (axes.length - 1);
  const y = (p: number) => height - bottom - p * (height - top - bottom);
  // Better trials drawn last (on top) and darker.
  const goodness = (t: Trial) => (objective.direction === 'min' ? 1 - (t.score! - lo) / (hi - lo || 1) : (t.score! - lo) / (hi - lo || 1));
  const lines = [...done].sort((a, b) => goodness(a) - goodness(b)).map((t) => {
    const pts = axes.map((a, i) => [x(i), a.pos(t)] as const).filter(([, p]) => p !== undefined).map(([px, p]) => `${px.toFixed(1)},${y(p!).toFixed(1)}`);
    const g = goodness(t);
    return `<polyline fill="none" stroke="rgb(${Math.round(225 - 147 * g)},${Math.round(87 + 34 * g)},${Math.round(89 + 78 * g)})" stroke-width="${(1 + g * 1.5).toFixed(2)}" stroke-opacity="0.85" points="${pts.join(' ')}"><title>${esc(`${t.id}: ${objective.metric} ${formatScore(t.score)}`)}</title></polyline>`;
  }).join('');
  const axisMarks = axes.map((a, i) => `<line x1="${x(i)}" x2="${x(i)}" y1="${top}" y2="${height - bottom}" class="axis"/><text x="${x(i)}" y="${top - 22}" text-anchor="middle" class="label">${esc(truncate(a.name.split('/').slice(-2).join('/'), Math.max(12, Math.floor((x(1) - x(0)) / 6.5))))}</text>${a.labels.map(([p, l]) => `<text x="${x(i) + 4}" y="${y(p) + 4}" class="tick">${esc(truncate(l, 14))}</text>`).join('')}`).join('');
  return svg(width, height, axisMarks + lines, `hyperparameters and ${objective.metric}: one line per trial (blue is better)`);
}

/**
 * How much of the objective's spread each hyperparameter explains on its own: the share of variance
 * between groups of trials with the same value (numbers: split at their median). A screening view,
 * not a causal one: with few trials, parameters that moved together share the credit.
 */
export function parameterImportance(trials: Trial[]): Array<{ name: string; share: number }> {
  const done = scored(trials);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const all = done.map((t) => t.score!);
  const m = mean(all);
  const total = all.reduce((s, v) => s + (v - m) ** 2, 0);
  return varyingNames(done).map((name) => {
    const nums = done.map((t) => t.values[name]).filter((v): v is number => typeof v === 'number');
    const median = nums.length === done.length ? [...nums].sort((a, b) => a - b)[Math.floor(nums.length / 2)] : undefined;
    const key = (t: Trial) => (median !== undefined ? String((t.values[name] as number) >= median) : formatValue(t.values[name]));
    const groups = new Map<string, number[]>();
    for (const t of done) groups.set(key(t), [...(groups.get(key(t)) ?? []), t.score!]);
    const between = [...groups.values()].reduce((s, g) => s + g.length * (mean(g) - m) ** 2, 0);
    return { name, share: total > 0 ? between / total : 0 };
  }).sort((a, b) => b.share - a.share);
}

/** The objective against each varying hyperparameter's values, one small chart each. */
export function parameterEffects(trials: Trial[], objective: Objective): string[] {
  const done = scored(trials);
  return varyingNames(done).map((name) => {
    const opts = { title: `${objective.metric} by ${name}`, width: 300, height: 200, yLabel: objective.metric, legend: false as const };
    const nums = done.map((t) => t.values[name]);
    if (nums.every((v) => typeof v === 'number')) {
      const values = nums as number[];
      const log = logScale(values);
      const points = done.map((t, i): [number, number] => [log ? Math.log10(values[i]) : values[i], t.score!]);
      return lineChart([{ name, points, color: color(0), noLine: true }], { ...opts, xLabel: truncate(log ? `log10 ${name}` : name, 44) });
    }
    const cats = [...new Set(nums.map((v) => formatValue(v)))].sort();
    const points = done.map((t): [number, number] => [cats.indexOf(formatValue(t.values[name])), t.score!]);
    return lineChart([{ name, points, color: color(0), noLine: true }], { ...opts, x: [-0.5, cats.length - 0.5], xNames: cats, xLabel: truncate(name, 44) });
  });
}

/** Below this many scored trials every split explains everything: the view would say nothing. */
export const MIN_TRIALS_FOR_IMPORTANCE = 4;

export function importanceChart(trials: Trial[]): string | undefined {
  if (scored(trials).length < MIN_TRIALS_FOR_IMPORTANCE) return undefined;
  const imp = parameterImportance(trials);
  if (imp.length === 0) return undefined;
  return barChart(imp.map((i) => i.name), imp.map((i) => i.share), { title: 'share of the objective variance each hyperparameter explains', xLabel: 'share of variance between its value groups', labelWidth: 200, width: 520 });
}

/** The test set's figures of one head: confusion matrix (and ROC), or predicted vs actual and residuals. */
export function testCharts(e: HeadEvaluation): string[] {
  if (e.type === 'classification') {
    const out: string[] = [];
    if (e.mode === 'multi_label') {
      (e.scores.confusion as number[][][]).forEach((m, k) => out.push(heatmap(m, ['no', 'yes'], ['no', 'yes'], { title: `${e.head} / ${e.classNames[k]}: confusion matrix`, rowLabel: `actual ${e.classNames[k]}`, colLabel: `predicted ${e.classNames[k]}` })));
    } else {
      out.push(heatmap(e.scores.confusion as number[][], e.classNames, e.classNames, { title: `${e.head}: confusion matrix on data.test`, rowLabel: 'actual', colLabel: 'predicted' }));
    }
    if (e.roc) {
      const diag = (f: ReturnType<typeof frame>) => `<line x1="${f.x(0)}" y1="${f.y(0)}" x2="${f.x(1)}" y2="${f.y(1)}" stroke="#999" stroke-dasharray="3 3"/>`;
      out.push(lineChart([{ name: `ROC, AUC ${formatScore(e.scores.auc ?? NaN)}`, points: e.roc.fpr.map((f, i) => [f, e.roc!.tpr[i]]), color: color(0) }], { title: `${e.head}: ROC curve on data.test`, x: [0, 1], y: [0, 1], xLabel: 'false positive rate', yLabel: 'true positive rate', extra: diag, width: 320, height: 300 }));
    }
    return out;
  }
  const { actual, predicted } = e.points;
  const [lo, hi] = extent([...actual, ...predicted]);
  const diag = (f: ReturnType<typeof frame>) => `<line x1="${f.x(lo)}" y1="${f.y(lo)}" x2="${f.x(hi)}" y2="${f.y(hi)}" stroke="#999" stroke-dasharray="3 3"/>`;
  const residuals = predicted.map((p, i) => [p, actual[i] - p] as [number, number]);
  const zero = (f: ReturnType<typeof frame>) => `<line x1="${f.x(extent(predicted)[0])}" x2="${f.x(extent(predicted)[1])}" y1="${f.y(0)}" y2="${f.y(0)}" stroke="#999" stroke-dasharray="3 3"/>`;
  return [
    lineChart([{ name: 'row', points: actual.map((a, i) => [a, predicted[i]]), color: color(0), noLine: true }], { title: `${e.head}: predicted vs actual on data.test`, x: [lo, hi], y: [lo, hi], xLabel: 'actual', yLabel: 'predicted', legend: false, extra: diag, width: 320, height: 300 }),
    lineChart([{ name: 'row', points: residuals, color: color(1), noLine: true }], { title: `${e.head}: residuals on data.test`, xLabel: 'predicted', yLabel: 'actual - predicted', legend: false, extra: zero, width: 320, height: 300 }),
  ];
}
