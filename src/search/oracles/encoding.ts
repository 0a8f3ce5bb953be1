/**
 * Hyperparameter values as points a surrogate model can measure distances between. Numbers (int,
 * float, booleans, choices of numbers) map to [0, 1], log-scaled where the space says log; other
 * choices stay labels. Conditional parameters may be absent from a point: that is a place too.
 */
import { encode, type Code, type HpDef, type HpValue } from '../../hp/kinds';

export { decode, encode, type Code } from '../../hp/kinds';

/** One trial's encoded values, by hyperparameter name (fixed ones left out: they never differ). */
export type Point = Record<string, Code>;

export function encodePoint(values: Record<string, HpValue>, space: Record<string, HpDef>): Point {
  const point: Point = {};
  for (const [name, def] of Object.entries(space)) {
    const code = name in values ? encode(def, values[name]) : undefined;
    if (code !== undefined) point[name] = code;
  }
  return point;
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
