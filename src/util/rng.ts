/**
 * Seeded randomness. tfjs draws every unseeded random number (initialisers, dropout masks, the
 * shuffles in fit) from Math.random (tfjs-core rand_util.ts), so a trial that runs with Math.random
 * seeded is reproducible end to end; everything else takes an explicit Rng.
 */
import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  normal(): number;
  state(): object;
}

export function makeRng(seed: string | number, state?: object): Rng {
  const prng = seedrandom.alea(String(seed), { state: (state ?? true) as true });
  const next = () => prng();
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    state: () => (prng as unknown as { state(): object }).state(),
  };
}

/** A seed for a sub-stream (trial i, data rows, ...) that does not depend on the order of calls. */
export function deriveSeed(...parts: Array<string | number>): number {
  let h = 2166136261;
  for (const ch of parts.join('/')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** Runs fn with Math.random seeded, restoring the original afterwards (also on throw). */
export async function withSeededMathRandom<T>(seed: number, fn: () => Promise<T>): Promise<T> {
  const original = Math.random;
  Math.random = seedrandom.alea(String(seed));
  try {
    return await fn();
  } finally {
    Math.random = original;
  }
}

/** Fisher-Yates in place, drawing from `next` (one draw per position, from the end). */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(items: T, next: () => number): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
