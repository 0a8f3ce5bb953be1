/**
 * The report page: one self-contained HTML file. Charts are inline SVG, styles inline, no script,
 * and a Content-Security-Policy that forbids every fetch, so opening it from disk (or a mail
 * attachment) requests nothing.
 */
import type { Leaderboard } from '../search/project';
import type { RefitRecord } from '../search/types';
import type { Trial } from '../search/trial';
import type { HeadEvaluation } from '../export/evaluate';
import { formatDuration, formatScore, formatValue } from '../util/format';
import type { DataProfile, ColumnProfile } from './profile';
import { MIN_TRIALS_FOR_IMPORTANCE, importanceChart, learningCurves, objectiveOverTime, parallelCoordinates, parameterEffects, testCharts } from './charts';
import { varyingNames } from '../search/hp';
import { rankTrials } from '../search/rank';
import { barChart, esc, histogramChart } from './svg';

export interface ReportInput {
  board: Leaderboard;
  trials: Trial[];
  refit?: RefitRecord;
  /** The best model's architecture diagram (SVG) and its layer table rows. */
  diagram?: string;
  test?: HeadEvaluation[];
  profile?: DataProfile;
  generated: Date;
}

const CSS = `
body{font-family:Arial,"Liberation Sans",Helvetica,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#2f4b7c;color:#fff;padding:16px 28px}header h1{margin:0 0 6px;font-size:22px}
nav{padding:8px 28px;background:#e9edf3;position:sticky;top:0}nav a{margin-right:16px;color:#2f4b7c}
main{padding:0 28px 40px}section{margin:26px 0}h2{border-bottom:2px solid #2f4b7c;padding-bottom:4px}
table{border-collapse:collapse;font-size:13px;background:#fff}td,th{border:1px solid #ccd;padding:3px 8px;text-align:right}
th{background:#e9edf3}td.l,th.l{text-align:left}tr.best td{background:#fff4d6;font-weight:bold}
.grid{stroke:#e4e4e4}.axis{stroke:#666}.tick{font-size:10px;fill:#333}.label{font-size:11px;fill:#222}
svg.chart{background:#fff;border:1px solid #dde;margin:6px 10px 6px 0;font-family:Arial,"Liberation Sans",Helvetica,sans-serif}
.charts{display:flex;flex-wrap:wrap;align-items:flex-start}.diagram svg{max-width:100%;height:auto;background:#fff}
.note{color:#555;font-size:13px}.scroll{overflow-x:auto;max-width:100%}.card{background:#fff;border:1px solid #dde;padding:6px;margin:0 10px 10px 0;width:256px;font-size:13px}.card svg.chart{border:none;margin:4px 0 0}.mini svg.chart{margin:0;border:none}
`;

export function renderReport(r: ReportInput): string {
  const b = r.board;
  const sections = [
    ['leaderboard', 'Leaderboard', leaderboardSection(r)],
    ['progress', 'Search over time', `<div class="charts">${objectiveOverTime(r.trials, b.objective)}</div>`],
    ['curves', 'Learning curves', curvesSection(r.trials)],
    ['hyperparameters', 'Hyperparameters', paramsSection(r)],
    ['model', 'Best model', modelSection(r)],
    ['test', 'Test set', testSection(r)],
    ['data', 'Data profile', profileSection(r.profile)],
  ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>automm report: ${esc(b.name)}</title><style>${CSS}</style></head>
<body><header><h1>automm report: ${esc(b.name)}</h1><div>${esc(headline(r))}</div></header>
<nav>${sections.map(([id, title]) => `<a href="#${id}">${title}</a>`).join('')}</nav>
<main>${sections.map(([id, title, body]) => `<section id="${id}"><h2>${title}</h2>${body}</section>`).join('\n')}</main>
</body></html>
`;
}

function headline(r: ReportInput): string {
  const b = r.board;
  const best = b.trials.find((t) => t.id === b.best);
  const time = r.trials.reduce((s, t) => s + (t.durationMs ?? 0), 0);
  return [
    `${b.trials.length} trials on ${b.backend}, ${b.status}${b.stopReason ? ` (${b.stopReason})` : ''}`,
    `objective ${b.objective.metric} (${b.objective.direction})`,
    best ? `best ${best.id}: ${formatScore(best.score)}` : 'no trial completed',
    `${formatDuration(time)} of training`,
    `written ${r.generated.toISOString().replace('T', ' ').slice(0, 19)} UTC`,
  ].join(' · ');
}

function leaderboardSection(r: ReportInput): string {
  const b = r.board;
  const metrics = [...new Set(b.trials.flatMap((t) => Object.keys(t.validation)))].filter((m) => m !== b.objective.metric).sort();
  const params = varyingNames(r.trials);
  const { order, ranked } = boardOrder(r);
  const head = `<tr><th class="l">trial</th><th class="l">status</th><th>${esc(b.objective.metric)}</th><th>epoch</th>${metrics.map((m) => `<th>${esc(m)}</th>`).join('')}<th>params</th><th>time</th>${params.map((p) => `<th class="l">${esc(p)}</th>`).join('')}</tr>`;
  const rows = order.map((t) => `<tr${t.id === b.best ? ' class="best"' : ''}><td class="l">${esc(t.id)}</td><td class="l" title="${esc(t.message ?? '')}">${esc(t.status)}</td><td>${formatScore(t.score)}</td><td>${t.bestEpoch !== undefined ? `${t.bestEpoch + 1}/${t.epochs}` : `-/${t.epochs}`}</td>${metrics.map((m) => `<td>${formatScore(t.validation[m])}</td>`).join('')}<td>${t.params?.toLocaleString('en') ?? '-'}</td><td>${formatDuration(t.durationMs ?? 0)}</td>${params.map((p) => `<td class="l">${esc(t.values[p] === undefined ? '-' : formatValue(t.values[p]))}</td>`).join('')}</tr>`).join('');
  const done = order.slice(0, ranked);
  const chart = done.length ? barChart(done.map((t) => t.id), done.map((t) => t.score!), { title: `${b.objective.metric} per trial, best first`, xLabel: b.objective.metric, fromZero: false, colors: done.map((t) => (t.id === b.best ? '#f28e2b' : '#4e79a7')) }) : '';
  const failed = b.trials.filter((t) => t.status !== 'completed' && t.message);
  const notes = failed.length ? `<p class="note">${failed.map((t) => `${esc(t.id)} ${esc(t.status)}: ${esc(t.message!)}`).join('<br>')}</p>` : '';
  return `<div class="scroll"><table>${head}${rows}</table></div>${notes}<div class="charts">${chart}</div>`;
}

/**
 * The leaderboard's rows: the ranked trials first, best first, by rankTrials (the ordering that
 * picked the board's best, so the best row is the top one), then the rest (failed, unfinished) as
 * the leaderboard lists them. `ranked`: how many rows have a rank.
 */
function boardOrder(r: ReportInput): { order: Leaderboard['trials']; ranked: number } {
  const byId = new Map(r.board.trials.map((t) => [t.id, t]));
  const ranked = rankTrials(r.trials, r.board.objective).flatMap((t) => byId.get(t.id) ?? []);
  const inRanked = new Set(ranked);
  const rest = r.board.trials.filter((t) => !inRanked.has(t));
  return { order: [...ranked, ...rest], ranked: ranked.length };
}

function curvesSection(trials: Trial[]): string {
  const curves = learningCurves(trials);
  if (curves.length === 0) return '<p class="note">No trial finished an epoch.</p>';
  return `<p class="note">Every trial's curve per logged quantity: each head's loss and metrics, and the total loss. Dashed: training rows; solid: validation rows.</p><div class="charts">${curves.map((c) => c.svg).join('')}</div>`;
}

function paramsSection(r: ReportInput): string {
  const pc = parallelCoordinates(r.trials, r.board.objective);
  if (!pc) return '<p class="note">Fewer than two scored trials, or no hyperparameter varied: nothing to compare.</p>';
  const imp = importanceChart(r.trials) ?? `<p class="note">The importance view needs at least ${MIN_TRIALS_FOR_IMPORTANCE} scored trials.</p>`;
  return `<div class="charts">${pc}</div><div class="charts">${imp}</div><div class="charts">${parameterEffects(r.trials, r.board.objective).join('')}</div>`;
}

function modelSection(r: ReportInput): string {
  const best = r.trials.find((t) => t.id === r.board.best);
  if (!best) return '<p class="note">No trial completed, so there is no best model.</p>';
  const values = Object.entries(best.values).map(([k, v]) => `<tr><td class="l">${esc(k)}</td><td class="l">${esc(formatValue(v))}</td></tr>`).join('');
  const refit = r.refit ? `<p class="note">${esc(r.refit.status === 'completed' ? `best/ holds ${r.refit.trial} retrained on training + validation rows for ${r.refit.epochs} epoch(s).` : `The refit ${r.refit.status}: ${r.refit.message ?? ''}; best/ holds the trial's own model.`)}</p>` : '';
  return `<p>${esc(best.id)}, ${best.params?.toLocaleString('en') ?? '?'} parameters.</p>${refit}<table><tr><th class="l">hyperparameter</th><th class="l">value</th></tr>${values || '<tr><td class="l" colspan="2">(defaults only)</td></tr>'}</table><div class="diagram">${r.diagram ?? ''}</div>`;
}

function testSection(r: ReportInput): string {
  if (!r.test?.length) return '<p class="note">No data.test in the spec: the final model was not scored on held-out rows.</p>';
  return r.test.map((e) => {
    const scores = Object.entries(e.scores).filter(([, v]) => typeof v === 'number' || v === null) as Array<[string, number | null]>;
    const table = `<table><tr>${scores.map(([k]) => `<th>${esc(k)}</th>`).join('')}<th>rows</th></tr><tr>${scores.map(([, v]) => `<td>${formatScore(v ?? NaN)}</td>`).join('')}<td>${e.rows}</td></tr></table>`;
    return `<h3>${esc(e.head)} (${e.type})</h3>${table}<div class="charts">${testCharts(e).join('')}</div>`;
  }).join('');
}

function profileSection(p?: DataProfile): string {
  if (!p) return '<p class="note">No data profile (analysis.json) in this project.</p>';
  const rows = `${p.rows.train} training, ${p.rows.validation} validation${p.rows.test !== undefined ? `, ${p.rows.test} test` : ''} rows`;
  const cards = p.columns.map((c) => `<div class="card"><b>${esc(c.name)}</b> <span class="note">${c.kind}${c.role ? `, ${esc(c.role)}` : ', not used'}</span><br><span class="note">${c.rows} rows, ${c.missing} missing, ${c.distinct} distinct</span><br>${columnChart(c)}</div>`).join('');
  return `<p>Source ${esc(p.source)}: ${rows}. Tables are profiled as written in the file (all its rows); generated data as the training rows the model reads.</p><div class="charts">${cards}</div>`;
}

function columnChart(c: ColumnProfile): string {
  if (c.histogram) {
    const h = c.histogram;
    return `${histogramChart(h.counts, h.min, h.max, { title: `${c.name}: histogram`, width: 250, height: 120 })}<br><span class="note">mean ${formatScore(h.mean)}, std ${formatScore(h.std)}</span>`;
  }
  if (c.top?.length) return barChart(c.top.map(([v]) => v), c.top.map(([, n]) => n), { title: `${c.name}: most frequent values`, width: 250, labelWidth: 100 });
  return '';
}
