/** The leaderboard, the best hyperparameters and the best model's layers, as text or JSON. */
import * as path from 'node:path';
import * as fs from 'node:fs';
import { readLeaderboard, paths, Leaderboard } from '../search/project';
import { loadModelDir } from './artifacts';
import { readJson } from '../util/atomic';
import type { RefitRecord } from '../search/types';
import { varyingNames } from '../search/hp';
import { LayerInfo, modelLayers, shapesText } from '../report/layers';
import { writeDiagram } from '../report/diagram';
import { FILE } from '../util/file-names';

export interface Summary {
  leaderboard: Leaderboard;
  bestValues?: Record<string, unknown>;
  /** The refit of the best configuration on training + validation rows, when one ran. */
  refit?: RefitRecord;
  layers?: LayerInfo[];
}

/** The summary; with `graph`, also the best model's architecture diagram written there (.svg or .png). */
export async function summarize(project: string, graph?: string): Promise<Summary> {
  const leaderboard = readLeaderboard(project);
  const best = leaderboard.trials.find((t) => t.id === leaderboard.best);
  if (!best || !fs.existsSync(path.join(paths(project).best, FILE.model))) return { leaderboard };
  const { refit } = readJson<{ refit?: RefitRecord }>(path.join(paths(project).best, FILE.trial));
  const model = await loadModelDir(paths(project).best);
  try {
    const layers = modelLayers(model);
    if (graph) await writeDiagram(layers, graph, `${leaderboard.name} ${best.id}`);
    return { leaderboard, bestValues: best.values, refit, layers };
  } finally {
    model.dispose();
  }
}

const cell = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v === undefined ? '-' : String(v));

export function formatSummary(s: Summary): string {
  const b = s.leaderboard;
  const metrics = [...new Set(b.trials.flatMap((t) => Object.keys(t.validation)))].sort();
  const header = ['trial', 'status', 'epochs', b.objective.metric, ...metrics.filter((m) => m !== b.objective.metric), 'params', 'seconds'];
  const rows = b.trials.map((t) => [
    t.id + (t.id === b.best ? ' *' : ''), t.status, t.bestEpoch !== undefined ? `${t.bestEpoch + 1}/${t.epochs}` : `-/${t.epochs}`, cell(t.score),
    ...metrics.filter((m) => m !== b.objective.metric).map((m) => cell(t.validation[m])),
    cell(t.params), ((t.durationMs ?? 0) / 1000).toFixed(1),
  ]);
  const out = [`project ${b.name}: ${b.trials.length} trials on ${b.backend}, objective ${b.objective.metric} (${b.objective.direction})${b.stopReason ? `; stopped: ${b.stopReason}` : ''}`, '', table([header, ...rows])];
  const failed = b.trials.filter((t) => t.status !== 'completed' && t.message);
  if (failed.length) out.push('', ...failed.map((t) => `${t.id} ${t.status}: ${t.message}`));
  if (s.bestValues) {
    // Marked: the values the search actually varied, with what the other trials tried.
    const varying = new Set(varyingNames(b.trials));
    const tried = (k: string) => [...new Set(b.trials.filter((t) => k in t.values).map((t) => JSON.stringify(t.values[k])))].join(', ');
    out.push('', `best trial ${b.best} hyperparameters (* differs between trials):`, ...Object.entries(s.bestValues).map(([k, v]) => `${varying.has(k) ? '* ' : '  '}${k} = ${JSON.stringify(v)}${varying.has(k) ? `   (tried: ${tried(k)})` : ''}`));
  }
  if (s.refit) out.push('', refitLine(s.refit));
  if (b.test) out.push('', `test set (data.test, scored once on the final model): ${Object.entries(b.test).map(([k, v]) => `${k} ${cell(v)}`).join(', ')}`);
  if (s.layers) out.push('', 'best model:', layerTable(s.layers));
  return out.join('\n') + '\n';
}

/** Its val_ figures are on rows it trained on: shown as training fit, not as a held-out score. */
function refitLine(r: RefitRecord): string {
  if (r.status !== 'completed') return `refit of ${r.trial} ${r.status}: ${r.message}; best/ holds the trial's own model`;
  if (r.kept === false) return `refit of ${r.trial} not kept: ${r.message}`;
  const losses = Object.entries(r.logs ?? {}).filter(([k]) => !k.startsWith('val_')).map(([k, v]) => `${k} ${cell(v)}`);
  return `best/ holds ${r.trial} refit on training + validation rows for ${r.epochs} epoch(s): ${losses.join(', ')}`;
}

/** Every layer with its whole output shape (never cut), parameters and inputs. */
function layerTable(layers: LayerInfo[]): string {
  const rows = layers.map((l) => [`${l.name} (${l.className})`, shapesText(l.outputShapes), l.params.toLocaleString('en'), l.inbound.join(', ')]);
  const total = layers.reduce((n, l) => n + l.params, 0);
  return table([['layer (type)', 'output shape', 'params', 'inputs'], ...rows]) + `\nTotal params: ${total.toLocaleString('en')}`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((v, c) => v.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}
