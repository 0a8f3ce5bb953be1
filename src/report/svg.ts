/**
 * Charts as SVG strings, drawn in Node: the report needs no script and no network to show them.
 * Small on purpose: linear axes with rounded ticks, lines, points, bars, heat maps.
 */
import { formatScore } from '../util/format';

export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
export const color = (i: number) => PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Round tick values covering [lo, hi] (Heckbert's nice numbers). */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** The extent of finite values, widened a little when flat so a line is not drawn on the frame. */
export function extent(values: number[], pad = 0.05): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite), hi = Math.max(...finite);
  if (lo === hi) (lo -= Math.abs(lo) * 0.1 || 1), (hi += Math.abs(hi) * 0.1 || 1);
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}

/** Tick labels with as many decimals as their spacing needs, so neighbours never print alike. */
export function tickLabels(values: number[]): string[] {
  if (values.length < 2) return values.map(formatScore);
  const step = Math.abs(values[1] - values[0]);
  const big = Math.max(...values.map(Math.abs));
  if (big >= 1e5 || (big > 0 && big < 1e-3)) return values.map((v) => (v === 0 ? '0' : v.toExponential(Math.max(0, Math.floor(Math.log10(big)) - Math.floor(Math.log10(step))))));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return values.map((v) => v.toFixed(decimals));
}

export interface Frame {
  width: number;
  height: number;
  x(v: number): number;
  y(v: number): number;
  /** Axes, grid and labels. */
  axes: string;
}

export interface FrameOptions {
  width?: number;
  height?: number;
  x: [number, number];
  y: [number, number];
  xLabel?: string;
  yLabel?: string;
  /** Tick labels for whole-number x positions (categories). */
  xNames?: string[];
  /** Only whole-number x ticks (epochs). */
  integerX?: boolean;
}

const M = { left: 58, right: 14, top: 12, bottom: 42 };

export function frame(o: FrameOptions): Frame {
  const width = o.width ?? 420, height = o.height ?? 260;
  const [x0, x1] = o.x, [y0, y1] = o.y;
  const x = (v: number) => M.left + ((v - x0) / (x1 - x0 || 1)) * (width - M.left - M.right);
  const y = (v: number) => height - M.bottom - ((v - y0) / (y1 - y0 || 1)) * (height - M.top - M.bottom);
  const parts: string[] = [];
  const yt = ticks(y0, y1);
  const yLabels = tickLabels(yt);
  yt.forEach((t, i) => {
    parts.push(`<line x1="${M.left}" x2="${width - M.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${M.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" class="tick">${esc(yLabels[i])}</text>`);
  });
  const xt = o.xNames ? o.xNames.map((_, i) => i) : ticks(x0, x1).filter((t) => !o.integerX || Number.isInteger(t));
  const xLabels = o.xNames ?? tickLabels(xt);
  const every = Math.max(1, Math.ceil(xt.length / 10));
  xt.forEach((t, i) => {
    if (i % every) return;
    const label = o.xNames ? o.xNames[t] : xLabels[i];
    parts.push(`<text x="${x(t).toFixed(1)}" y="${height - M.bottom + 15}" text-anchor="middle" class="tick">${esc(label)}</text>`);
  });
  parts.push(`<line x1="${M.left}" x2="${width - M.right}" y1="${height - M.bottom}" y2="${height - M.bottom}" class="axis"/>`);
  parts.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${height - M.bottom}" class="axis"/>`);
  if (o.xLabel) parts.push(`<text x="${(M.left + width - M.right) / 2}" y="${height - 8}" text-anchor="middle" class="label">${esc(o.xLabel)}</text>`);
  if (o.yLabel) parts.push(`<text transform="translate(13 ${(M.top + height - M.bottom) / 2}) rotate(-90)" text-anchor="middle" class="label">${esc(o.yLabel)}</text>`);
  return { width, height, x, y, axes: parts.join('') };
}

export const svg = (width: number, height: number, body: string, title: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>${body}</svg>`;

export interface Series {
  name: string;
  points: Array<[number, number]>;
  color: string;
  dashed?: boolean;
  /** Draw dots at the points (few points, or a scatter). */
  dots?: boolean;
  /** No connecting line (a scatter). */
  noLine?: boolean;
}

export interface LegendItem { name: string; color: string; dashed?: boolean }

/** Lines and points on one frame. `legend`: false for none, or the entries (default: one per series). */
export function lineChart(series: Series[], o: Omit<FrameOptions, 'x' | 'y'> & { title: string; x?: [number, number]; y?: [number, number]; legend?: false | LegendItem[]; extra?: (f: Frame) => string }): string {
  const all = series.flatMap((s) => s.points.filter(([, v]) => Number.isFinite(v)));
  const f = frame({ ...o, x: o.x ?? extent(all.map((p) => p[0]), 0.02), y: o.y ?? extent(all.map((p) => p[1])) });
  const body = series.map((s) => {
    const pts = s.points.filter(([, v]) => Number.isFinite(v));
    const line = !s.noLine && pts.length > 1 ? `<polyline fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="4 3"' : ''} points="${pts.map(([a, b]) => `${f.x(a).toFixed(1)},${f.y(b).toFixed(1)}`).join(' ')}"><title>${esc(s.name)}</title></polyline>` : '';
    const dots = s.dots || pts.length === 1 || s.noLine ? pts.map(([a, b]) => `<circle cx="${f.x(a).toFixed(1)}" cy="${f.y(b).toFixed(1)}" r="3" fill="${s.color}" fill-opacity="0.8"><title>${esc(`${s.name}: ${formatScore(a)}, ${formatScore(b)}`)}</title></circle>`).join('') : '';
    return line + dots;
  }).join('');
  const items = o.legend === false ? [] : o.legend ?? series.map((s) => ({ name: s.name, color: s.color, dashed: s.dashed }));
  const legend = items.length ? legendOf(items, f.width, f.height) : '';
  return svg(f.width, f.height + (legend ? legendHeight(items.length, f.width) : 0), f.axes + (o.extra?.(f) ?? '') + body + legend, o.title);
}

const LEGEND_ITEM = 180;
const legendHeight = (n: number, width: number) => Math.ceil(n / Math.max(1, Math.floor((width - M.left) / LEGEND_ITEM))) * 16 + 4;

function legendOf(items: LegendItem[], width: number, top: number): string {
  const perRow = Math.max(1, Math.floor((width - M.left) / LEGEND_ITEM));
  return items.map((it, i) => {
    const x = M.left + (i % perRow) * LEGEND_ITEM, row = Math.floor(i / perRow);
    return `<g transform="translate(${x} ${top + row * 16 + 4})"><line x1="0" x2="18" y1="6" y2="6" stroke="${it.color}" stroke-width="2"${it.dashed ? ' stroke-dasharray="4 3"' : ''}/><text x="22" y="10" class="tick">${esc(truncate(it.name, 26))}</text></g>`;
  }).join('');
}

export const truncate = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/** Horizontal bars, one per label (leaderboards, top values, importances). */
export function barChart(labels: string[], values: number[], o: { title: string; width?: number; xLabel?: string; colors?: string[]; labelWidth?: number; fromZero?: boolean }): string {
  const width = o.width ?? 420, row = 18, lw = o.labelWidth ?? 120;
  const height = labels.length * row + 34;
  const finite = values.filter(Number.isFinite);
  // Scores close together (1.599 against 1.601) get a baseline below the smallest, so they differ visibly.
  const [lo, hi] = o.fromZero === false ? extent(finite, 0.5) : [0, 0];
  const max = Math.max(hi, ...finite);
  const min = o.fromZero === false ? Math.min(lo, ...finite) : Math.min(0, ...finite);
  const x = (v: number) => lw + ((v - min) / (max - min || 1)) * (width - lw - 60);
  const bars = labels.map((l, i) => {
    const v = values[i], y = 6 + i * row;
    const base = Math.max(min, Math.min(max, 0));
    const bar = Number.isFinite(v) ? `<rect x="${Math.min(x(base), x(v)).toFixed(1)}" y="${y}" width="${Math.abs(x(v) - x(base)).toFixed(1)}" height="${row - 5}" fill="${o.colors?.[i] ?? color(0)}"><title>${esc(`${l}: ${formatScore(v)}`)}</title></rect>` : '';
    return `<text x="${lw - 6}" y="${y + 10}" text-anchor="end" class="tick">${esc(truncate(l, Math.floor(lw / 6.5)))}</text>${bar}<text x="${(Number.isFinite(v) ? Math.max(x(base), x(v)) : lw) + 4}" y="${y + 10}" class="tick">${esc(formatScore(v))}</text>`;
  }).join('');
  const axis = o.xLabel ? `<text x="${(lw + width - 60) / 2}" y="${height - 8}" text-anchor="middle" class="label">${esc(o.xLabel)}</text>` : '';
  return svg(width, height, bars + axis, o.title);
}

/** A histogram from bin counts over [min, max]. */
export function histogramChart(counts: number[], min: number, max: number, o: { title: string; width?: number; height?: number; xLabel?: string }): string {
  const f = frame({ width: o.width ?? 300, height: o.height ?? 160, x: [min, max > min ? max : min + 1], y: [0, Math.max(1, ...counts)], xLabel: o.xLabel, yLabel: 'rows' });
  const w = ((max > min ? max : min + 1) - min) / counts.length;
  const bars = counts.map((c, i) => `<rect x="${f.x(min + i * w).toFixed(1)}" y="${f.y(c).toFixed(1)}" width="${Math.max(0.5, f.x(min + (i + 1) * w) - f.x(min + i * w) - 1).toFixed(1)}" height="${(f.y(0) - f.y(c)).toFixed(1)}" fill="${color(0)}"><title>${c}</title></rect>`).join('');
  return svg(f.width, f.height, f.axes + bars, o.title);
}

/** A matrix of counts as shaded cells with their numbers (confusion matrices). */
export function heatmap(matrix: number[][], rowNames: string[], colNames: string[], o: { title: string; rowLabel: string; colLabel: string }): string {
  const n = rowNames.length, m = colNames.length;
  const cell = Math.max(22, Math.min(56, Math.floor(360 / Math.max(n, m))));
  const left = 96, top = 40;
  const max = Math.max(1, ...matrix.flat());
  const cells = matrix.flatMap((row, r) => row.map((v, c) => {
    const shade = v / max;
    const fill = `rgba(78,121,167,${(0.08 + 0.92 * shade).toFixed(3)})`;
    const x = left + c * cell, y = top + r * cell;
    return `<rect x="${x}" y="${y}" width="${cell - 1}" height="${cell - 1}" fill="${fill}"><title>${esc(`${rowNames[r]} -> ${colNames[c]}: ${v}`)}</title></rect><text x="${x + cell / 2}" y="${y + cell / 2 + 4}" text-anchor="middle" class="tick" fill="${shade > 0.55 ? '#fff' : '#222'}">${v}</text>`;
  })).join('');
  const rows = rowNames.map((l, r) => `<text x="${left - 6}" y="${top + r * cell + cell / 2 + 4}" text-anchor="end" class="tick">${esc(truncate(l, 14))}</text>`).join('');
  const cols = colNames.map((l, c) => `<text x="${left + c * cell + cell / 2}" y="${top - 6}" text-anchor="middle" class="tick">${esc(truncate(l, Math.max(3, Math.floor(cell / 6.5))))}</text>`).join('');
  const width = left + m * cell + 10, height = top + n * cell + 30;
  const labels = `<text x="${left + (m * cell) / 2}" y="14" text-anchor="middle" class="label">${esc(o.colLabel)}</text><text x="${left + (m * cell) / 2}" y="${height - 8}" text-anchor="middle" class="label">${esc(o.rowLabel)} (rows)</text>`;
  return svg(width, height, labels + rows + cols + cells, o.title);
}
