/**
 * Holding out validation rows: a seeded shuffle (the same spec seed gives the same split), optionally
 * stratified so each class keeps its share in both parts, as sklearn's train_test_split(stratify=).
 */
import type { Spec } from '../spec/types';
import { deriveSeed, makeRng, shuffleInPlace } from '../util/rng';
import type { ProblemLog } from './errors';
import type { Table } from './read-table';
import type { ScanResult } from './scan';

/** What each row of a table is for, per row in a Uint8Array. */
export const ROLE = { train: 0, validation: 1, leftOut: 2 } as const;

export interface RowSplit {
  train: Int32Array;
  validation: Int32Array;
}

/**
 * Splits row positions (ascending). `keys[p]` is the stratum of position p. The validation part gets
 * round(n * fraction) rows (at least 1, at most n - 1); strata share them by largest remainder,
 * so the total is exact. Both parts come back in file order.
 */
export function splitRows(positions: Int32Array, fraction: number, seed: number, keys?: Int32Array): RowSplit {
  const n = positions.length;
  const take = Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
  const rng = makeRng(seed);
  const groups = new Map<number, number[]>();
  for (const p of positions) {
    const k = keys ? keys[p] : 0;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(p);
  }
  const strata = [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
  const quotas = allocate(strata.map((g) => g.length), take, n);
  const isValidation = new Uint8Array(n > 0 ? positions[n - 1] + 1 : 0);
  strata.forEach((g, i) => {
    shuffleInPlace(g, rng.next);
    for (let j = 0; j < quotas[i]; j++) isValidation[g[j]] = 1;
  });
  return { train: positions.filter((p) => !isValidation[p]), validation: positions.filter((p) => isValidation[p] === 1) };
}

/** Largest-remainder shares of `total` in proportion to `sizes` (ties: the larger stratum first). */
function allocate(sizes: number[], total: number, n: number): number[] {
  const exact = sizes.map((s) => (s * total) / n);
  const quotas = exact.map(Math.floor);
  let left = total - quotas.reduce((a, b) => a + b, 0);
  const order = sizes.map((_, i) => i).sort((a, b) => exact[b] - quotas[b] - (exact[a] - quotas[a]) || sizes[b] - sizes[a] || a - b);
  for (const i of order) {
    if (left <= 0) break;
    if (quotas[i] < sizes[i]) (quotas[i]++, left--);
  }
  return quotas;
}

/** Per row of the training file: train, validation (held out by validation_split) or left out (bad). */
export function assignRoles(spec: Spec, table: Table, scan: ScanResult, separateValidation: boolean, log: ProblemLog): Uint8Array {
  const roles = new Uint8Array(scan.rows).fill(ROLE.leftOut);
  const good = Int32Array.from({ length: scan.rows }, (_, p) => p).filter((p) => scan.bad[p] === 0);
  if (separateValidation) {
    for (const p of good) roles[p] = ROLE.train;
    if (good.length === 0 && scan.rows > 0) log.fatal(table.display, `no rows are left after leaving out ${scan.rows} bad rows`);
    return roles;
  }
  if (good.length < 2) {
    if (scan.rows > 0) log.fatal(table.display, `${good.length} usable row${good.length === 1 ? '' : 's'}: too few to hold out validation rows (data.validation_split)`);
    return roles;
  }
  const split = splitRows(good, spec.data.validation_split, deriveSeed(spec.seed, 'validation_split'), scan.stratify);
  for (const p of split.train) roles[p] = ROLE.train;
  for (const p of split.validation) roles[p] = ROLE.validation;
  return roles;
}
