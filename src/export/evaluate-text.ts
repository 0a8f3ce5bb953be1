/** `automm evaluate`'s text: each head's scores on one line, then its confusion matrix. */
import { formatScore } from '../util/format';
import type { HeadEvaluation } from './evaluate';

export function formatEvaluation(heads: HeadEvaluation[]): string {
  return heads.map(formatHead).join('\n') + '\n';
}

function formatHead(e: HeadEvaluation): string {
  const scores = Object.entries(e.scores).filter(([, v]) => typeof v === 'number' || v === null).map(([k, v]) => `${k} ${formatScore((v as number | null) ?? NaN)}`);
  const lines = [`${e.head} (${e.type}, ${e.rows} rows): ${scores.join(', ')}`];
  if (e.type === 'classification') {
    if (e.mode === 'multi_label') {
      (e.scores.confusion as number[][][]).forEach((m, k) => lines.push(`  ${e.classNames[k]}:`, ...matrix(m, ['no', 'yes']).map((l) => `  ${l}`)));
    } else {
      lines.push(...matrix(e.scores.confusion as number[][], e.classNames));
    }
  }
  return lines.join('\n');
}

/** A confusion matrix as text: actual classes down, predicted across. */
function matrix(m: number[][], names: string[]): string[] {
  const header = ['actual \\ predicted', ...names];
  const rows = m.map((r, i) => [names[i], ...r.map(String)]);
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => r[c].length)));
  return [header, ...rows].map((r) => '  ' + r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  '));
}
