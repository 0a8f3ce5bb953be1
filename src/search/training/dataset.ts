/** The rows fitDataset trains on: a seeded order per epoch, one batch materialised at a time. */
import type { DataSplit } from '../../data/source';
import { makeRng, shuffleInPlace } from '../../util/rng';

/** A tf.data-like dataset (what fitDataset duck-types) that materialises one batch at a time. */
export function batchDataset(split: DataSplit, order: Int32Array, batchSize: number, onBatch?: (b: number) => void) {
  return {
    size: Math.ceil(order.length / batchSize),
    iterator: async () => {
      let b = 0;
      return {
        next: async () => {
          if (b * batchSize >= order.length) return { done: true, value: null };
          const batch = await split.batch(order.subarray(b * batchSize, (b + 1) * batchSize));
          onBatch?.(b);
          b++;
          return { done: false, value: batch };
        },
      };
    },
  };
}

/** Row positions start, start + 1, ..., end - 1. */
export const range = (start: number, end: number) => Int32Array.from({ length: end - start }, (_, i) => start + i);

/** Positions 0..n-1 in a seeded order. */
export function shuffled(n: number, seed: number): Int32Array {
  return shuffleInPlace(range(0, n), makeRng(seed).next);
}
