/** Splits built from other splits (refit trains on training + validation rows). */
import * as tf from '@tensorflow/tfjs-core';
import type { Batch, DataSplit } from './source';

/** Rows of a, then rows of b: indices below a.rows come from a. */
export function concatSplits(a: DataSplit, b: DataSplit): DataSplit {
  return {
    rows: a.rows + b.rows,
    async batch(indices) {
      const fromA = Array.from(indices).filter((i) => i < a.rows);
      const fromB = Array.from(indices).filter((i) => i >= a.rows).map((i) => i - a.rows);
      if (fromB.length === 0) return a.batch(fromA);
      if (fromA.length === 0) return b.batch(fromB);
      const [x, y] = await Promise.all([a.batch(fromA), b.batch(fromB)]);
      const join = (p: Record<string, tf.Tensor>, q: Record<string, tf.Tensor>) =>
        Object.fromEntries(Object.keys(p).map((k) => [k, tf.concat([p[k], q[k]])]));
      const out: Batch = { xs: join(x.xs, y.xs), ys: join(x.ys, y.ys) };
      tf.dispose([...Object.values(x.xs), ...Object.values(x.ys), ...Object.values(y.xs), ...Object.values(y.ys)]);
      return out;
    },
  };
}

/** Every other row of a split, starting at `first` (0 or 1): two disjoint halves, the same in every worker. */
export function alternateRows(split: DataSplit, first: 0 | 1): DataSplit {
  const positions = Int32Array.from({ length: Math.floor((split.rows + 1 - first) / 2) }, (_, i) => 2 * i + first);
  return { rows: positions.length, batch: (indices) => split.batch(Array.from(indices, (i) => positions[i])) };
}

/**
 * What a refit trains on and is checked against: training rows plus half of the validation rows,
 * and the other half held back. The held-back rows let the search compare the refit model with the
 * trial's own on rows neither trained on, so a refit that came out worse is never kept silently.
 */
export function refitSplits(train: DataSplit, validation: DataSplit): { train: DataSplit; validation: DataSplit } {
  if (validation.rows < 2) return { train: concatSplits(train, validation), validation };
  return { train: concatSplits(train, alternateRows(validation, 0)), validation: alternateRows(validation, 1) };
}
