/**
 * Hyperparameter values as points a surrogate model can measure distances between. Numbers (int,
 * float, booleans, choices of numbers) map to [0, 1], log-scaled where the space says log; other
 * choices stay labels. Conditional parameters may be absent from a point: that is a place too.
 */
import type { HpDef, HpValue } from '../../spec/space';

/** A coordinate in [0, 1] or a category label. */
export type Code = number | string;
/** One trial's encoded values, by hyperparameter name (fixed ones left out: they never differ). */
export type Point = Record<string, Code>;

/** A choice of numbers (units: 32, 64, 128) is ordered: neighbours should count as near. */
const sortedNumbers = (values: HpValue[]) => (values.every((v) => typeof v === 'number') ? (values as number[]).slice().sort((a, b) => a - b) : undefined);

const span = (lo: number, hi: number, v: number) => (hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : 0.5);

export function encode(def: HpDef, value: HpValue): Code | undefined {
  switch (def.kind) {
    case 'fixed': return undefined;
    case 'boolean': return value === true ? 1 : 0;
    case 'int': return span(def.lo, def.hi, value as number);
    case 'float': return def.log ? span(Math.log(def.lo), Math.log(def.hi), Math.log(value as number)) : span(def.lo, def.hi, value as number);
    case 'choice': {
      const sorted = sortedNumbers(def.values);
      if (!sorted) return JSON.stringify(value);
      return sorted.length > 1 ? sorted.indexOf(value as number) / (sorted.length - 1) : 0.5;
    }
  }
}

export function encodePoint(values: Record<string, HpValue>, space: Record<string, HpDef>): Point {
  const point: Point = {};
  for (const [name, def] of Object.entries(space)) {
    const code = name in values ? encode(def, values[name]) : undefined;
    if (code !== undefined) point[name] = code;
  }
  return point;
}

/** The value nearest to a coordinate; undefined where the space has no order (labels). */
export function decode(def: HpDef, u: number): HpValue | undefined {
  const t = Math.min(1, Math.max(0, u));
  switch (def.kind) {
    case 'boolean': return t >= 0.5;
    case 'int': {
      const step = def.step ?? 1;
      return def.lo + step * Math.round((t * (def.hi - def.lo)) / step);
    }
    case 'float': return def.log ? Math.exp(Math.log(def.lo) + t * (Math.log(def.hi) - Math.log(def.lo))) : def.lo + t * (def.hi - def.lo);
    case 'choice': {
      const sorted = sortedNumbers(def.values);
      return sorted ? sorted[Math.round(t * (sorted.length - 1))] : undefined;
    }
    case 'fixed': return def.value;
  }
}

/**
 * Squared distance, Euclidean in an embedding so that kernels built on it stay positive definite:
 * a number x is (x, 0) and "absent" is (0.5, 1); distinct labels are one-hot vectors scaled to
 * distance 1, with "absent" one more label.
 */
export function distance2(a: Point, b: Point): number {
  let d = 0;
  for (const name in a) d += term(a[name], b[name]);
  for (const name in b) if (!(name in a)) d += term(undefined, b[name]);
  return d;
}

function term(x: Code | undefined, y: Code | undefined): number {
  if (typeof x === 'number' && typeof y === 'number') return (x - y) ** 2;
  if (typeof x === 'number' && y === undefined) return (x - 0.5) ** 2 + 1;
  if (typeof y === 'number' && x === undefined) return (y - 0.5) ** 2 + 1;
  return x === y ? 0 : 1;
}
