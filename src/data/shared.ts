/**
 * Prepared table data shared between threads: the main thread reads and encodes the files once, and
 * each trial worker batches from the same memory (a SharedArrayBuffer per column) instead of
 * preparing its own copy, which took each worker the main thread's time and memory again.
 */
import { ImageCache } from './image';
import type { PreparedData, SharedPrepared, SharedSplit } from './source';
import { storeSplit, TableStore } from './store';

/** Decoded images a worker keeps: each worker decodes the images of its own batches. */
const WORKER_IMAGE_CACHE_BYTES = 64 * 1024 * 1024;

/** Rows of one store, by position: what a split is before it is handed to training. */
export interface StoredRows { store: TableStore; positions: Int32Array }

export interface Splits { train: StoredRows; validation: StoredRows; test?: StoredRows }

/** The clonable form of prepared data whose splits are rows of TableStores. */
export function sharePrepared(data: Omit<PreparedData, 'train' | 'validation' | 'test' | 'share'>, splits: Splits): SharedPrepared {
  const stores: TableStore[] = [];
  const split = ({ store, positions }: StoredRows): SharedSplit => {
    if (!stores.includes(store)) stores.push(store);
    return { store: stores.indexOf(store), positions };
  };
  const { inputs, heads, preprocessing, notes } = data;
  const shared = { train: split(splits.train), validation: split(splits.validation), test: splits.test && split(splits.test) };
  return { inputs, heads, preprocessing, notes, ...shared, stores: stores.map((s) => s.toShared()) };
}

/** Prepared data over another thread's shared rows. */
export function fromShared(shared: SharedPrepared): PreparedData {
  const stores = shared.stores.map((s) => TableStore.fromShared(s));
  const images = new ImageCache(WORKER_IMAGE_CACHE_BYTES);
  const split = (s: SharedSplit) => storeSplit(stores[s.store], s.positions, images);
  const { inputs, heads, preprocessing, notes } = shared;
  return { inputs, heads, preprocessing, notes, train: split(shared.train), validation: split(shared.validation), test: shared.test && split(shared.test) };
}
