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
