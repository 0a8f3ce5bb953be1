/**
 * Column types of structured inputs, inferred the way Ludwig and AutoKeras do: numbers are
 * numerical, strings are categorical, and a few integer codes (1..5, 0/1) are categorical too.
 * `column_types` in the spec overrides the guess.
 */
import { Growable, growableInt32 } from './growable';
import { isMissing, parseNumber } from './values';

export type ColumnType = 'numerical' | 'categorical';

/** Ludwig's cut-off for integer codes read as categories (its CATEGORY_TYPE_DISTINCT_VALUE_PERCENTAGE_CUTOFF). */
const CODES_MAX_SHARE = 0.5;
/** More distinct integers than this are counts, ages or ids, not codes (ratings 1-5, 1-10 and 0/1 flags are). */
const CODES_MAX_DISTINCT = 10;
/**
 * A column of numbers with some typos or odd missing markers is numerical with bad values, reported
 * with the fix (column_types), rather than silently a thousand categories.
 */
const NUMERICAL_MIN_SHARE = 0.8;
/** Bad values named in a message. */
const SHOWN_BAD_VALUES = 5;

/** What one pass tells about a column, in constant memory (bar the rows holding non-numbers). */
export class ColumnProfile {
  values = 0;
  missing = 0;
  numbers = 0;
  /** Row positions holding something other than a number: they are bad rows if the column is numerical. */
  private nonNumbers: Growable<Int32Array> | null = growableInt32();
  private nonNumberCount = 0;
  /** The first few, for the message: file line and value. */
  readonly shown: Array<{ line: number; value: unknown }> = [];
  private readonly distinct = new Set<number>();
  private integersOnly = true;

  constructor(readonly column: string, private readonly keepAllRows = false) {}

  add(value: unknown, position: number, line: number): void {
    if (isMissing(value)) {
      this.missing++;
      return;
    }
    this.values++;
    const n = parseNumber(value);
    if (Number.isNaN(n)) {
      this.nonNumberCount++;
      if (this.shown.length < SHOWN_BAD_VALUES) this.shown.push({ line, value });
      this.nonNumbers?.push(position);
      // A mostly-text column: its non-number rows will never be needed, so stop keeping them.
      if (!this.keepAllRows && this.nonNumberCount > 1000 && this.nonNumberCount > this.values / 2) this.nonNumbers = null;
      return;
    }
    this.numbers++;
    if (!Number.isInteger(n)) this.integersOnly = false;
    if (this.distinct.size <= CODES_MAX_DISTINCT) this.distinct.add(n);
  }

  get nonNumberTotal(): number {
    return this.nonNumberCount;
  }

  /** Positions of rows whose value is not a number (complete only while the column could be numerical). */
  nonNumberRows(): Int32Array {
    return this.nonNumbers?.toArray() ?? new Int32Array(0);
  }

  /** Integers that look like codes: few, dense (1, 2, 3, 4, 5), and much fewer than the rows. */
  get looksLikeCodes(): boolean {
    if (!this.integersOnly || this.distinct.size > CODES_MAX_DISTINCT || this.distinct.size >= this.values * CODES_MAX_SHARE) return false;
    const sorted = [...this.distinct].sort((a, b) => a - b);
    return sorted[sorted.length - 1] - sorted[0] === sorted.length - 1;
  }
}

export interface Inference {
  type: ColumnType;
  /** Why, for the saved preprocessing and for people reading it. */
  reason: string;
}

export function inferType(p: ColumnProfile): Inference {
  if (p.values === 0) return { type: 'categorical', reason: 'no values' };
  if (p.numbers === p.values) {
    if (p.looksLikeCodes) return { type: 'categorical', reason: 'few consecutive integers (codes)' };
    return { type: 'numerical', reason: 'all values are numbers' };
  }
  if (p.numbers >= p.values * NUMERICAL_MIN_SHARE && !p.looksLikeCodes) {
    return { type: 'numerical', reason: `${percent(p.numbers / p.values)} of values are numbers` };
  }
  return { type: 'categorical', reason: 'values are not all numbers' };
}

const percent = (x: number) => `${Math.floor(x * 1000) / 10}%`;

/** `Column "price" as numerical: 3 values are not numbers (rows 17, 40, 98; "n/a?", ...)`, Ludwig's wording. */
/** `rowWord`: what the numbers count, singular (line, element). */
export function nonNumberMessage(p: ColumnProfile, rowWord: string): string {
  const n = p.nonNumberTotal;
  const lines = p.shown.map((s) => s.line).join(', ');
  const values = p.shown.slice(0, 3).map((s) => JSON.stringify(String(s.value))).join(', ');
  return `as numerical: ${n} value${n === 1 ? ' is' : 's are'} not ${n === 1 ? 'a number' : 'numbers'} (${rowWord}${p.shown.length > 1 ? 's' : ''} ${lines}${n > p.shown.length ? ', ...' : ''}: ${values}); set column_types: {${JSON.stringify(p.column)}: categorical} if they are categories`;
}
