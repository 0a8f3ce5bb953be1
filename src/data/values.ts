/** Raw cell values (strings from CSV/TSV, any JSON value from JSON/JSONL) read the same way everywhere. */

/**
 * Spellings of "no value", pandas's default na_values minus the exotic ones: tables written by
 * pandas, R and spreadsheets use these. All are at most 4 characters, which keeps the check cheap.
 */
const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '#n/a', '<na>', '-nan']);

export function isMissing(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  // None of the spellings starts with a digit: most cells of a number column are answered here.
  if (typeof v === 'string') return v.length <= 6 && !isDigit(v.charCodeAt(0)) && MISSING.has(v.trim().toLowerCase());
  return typeof v === 'number' && Number.isNaN(v);
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/** Plain decimal numbers only: Number() would also take "0x1F", "" and " " (as 31, 0, 0). */
const NUMBER = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** The number in a cell that is not missing, or NaN when it holds something else. */
export function parseNumber(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v === 'string' && NUMBER.test(v)) return Number(v);
  return NaN;
}

/** A cell as a category or class name: "3" and 3 are the same; surrounding blanks are not part of it. */
export function asLabel(v: unknown): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** A cell as free text (missing is empty). */
export function asText(v: unknown): string {
  if (isMissing(v)) return '';
  return typeof v === 'string' ? v : asLabel(v);
}

/** A value for an error message: quoted, and short. */
export function show(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);
}
