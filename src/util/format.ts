/** Numbers and durations as people read them: scores to 4 significant digits, times as h:mm:ss. */

/** 4 significant digits; exponent form below 1e-3 and from 1e5 up; "-" for nothing. */
export function formatScore(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '-';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(3);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

/** 0:42, 12:05, 1:02:03. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

/** A hyperparameter value in few characters: numbers as scores, the rest as JSON. */
export function formatValue(v: unknown): string {
  if (v === undefined) return '-';
  return typeof v === 'number' ? formatScore(v) : typeof v === 'string' ? v : JSON.stringify(v);
}
