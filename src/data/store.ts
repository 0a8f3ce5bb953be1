/**
 * Encoded rows in typed arrays, one per input and head, and batches cut from them. A million rows of
 * twenty columns is 80 MB of floats here, against gigabytes as JS objects. Images stay on disk: the
 * store keeps their paths and a batch decodes them (through a bounded cache). The arrays live in
 * shared memory, so trial workers read the rows the main thread encoded (toShared / fromShared)
 * instead of each reading and encoding the files again.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DataError } from './errors';
import { ImageCache } from './image';
import { writePixels } from './pixels';
import { gatherRows } from './gather';
import type { Batch, DataSplit, InputInfo, SharedStore, SharedStrings } from './source';
import { inputDef } from '../inputs/registry';

const sharedFloats = (n: number) => new Float32Array(new SharedArrayBuffer(n * 4));
const sharedInts = (n: number) => new Int32Array(new SharedArrayBuffer(n * 4));

/** Strings packed into one growing byte buffer: a million paths without a million JS strings. */
export class StringColumn {
  private bytes: Uint8Array<ArrayBufferLike> = new Uint8Array(1 << 16);
  private used = 0;
  private ends: Uint32Array;
  private readonly decoder = new TextDecoder();
  private readonly encoder = new TextEncoder();

  constructor(capacity: number) {
    this.ends = new Uint32Array(capacity);
  }

  /** The strings in shared memory, copied once (the buffer grew while rows were set). */
  toShared(): SharedStrings {
    const bytes = new Uint8Array(new SharedArrayBuffer(this.used));
    bytes.set(this.bytes.subarray(0, this.used));
    const ends = new Uint32Array(new SharedArrayBuffer(this.ends.byteLength));
    ends.set(this.ends);
    return { bytes, ends };
  }

  /** A read-only column over shared strings (set() would grow into a private copy). */
  static fromShared(shared: SharedStrings): StringColumn {
    const column = new StringColumn(0);
    column.bytes = shared.bytes;
    column.used = shared.bytes.length;
    column.ends = shared.ends;
    return column;
  }

  /** Rows must be set in order (position 0, 1, 2, ...); setting one again replaces the last. */
  set(position: number, value: string): void {
    const start = position === 0 ? 0 : this.ends[position - 1];
    const encoded = this.encoder.encode(value);
    if (start + encoded.length > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, start + encoded.length));
      bigger.set(this.bytes.subarray(0, this.used));
      this.bytes = bigger;
    }
    this.bytes.set(encoded, start);
    this.used = start + encoded.length;
    this.ends[position] = this.used;
  }

  get(position: number): string {
    const start = position === 0 ? 0 : this.ends[position - 1];
    return this.decoder.decode(this.bytes.subarray(start, this.ends[position]));
  }
}

type Column = { kind: 'floats'; data: Float32Array } | { kind: 'ints'; data: Int32Array } | { kind: 'paths'; data: StringColumn };

interface StoredInput {
  info: InputInfo;
  /** Values per row (images: 1 path). */
  width: number;
  column: Column;
  /** The table column images come from, for messages. */
  source?: string;
}

export class TableStore {
  private constructor(
    readonly capacity: number,
    readonly inputs: Map<string, StoredInput>,
    readonly targets: Map<string, { width: number; data: Float32Array }>,
    /** The file line of each stored row, for messages about it later (an image that fails to decode). */
    readonly lines: Int32Array,
    /** Where the row at a position came from, e.g. "pets.csv:12". */
    readonly placeOf: (position: number) => string,
  ) {}

  /** An empty store for `capacity` rows, its numbers in shared memory. */
  static create(capacity: number, inputs: Array<{ info: InputInfo; width: number; source?: string }>, targets: Array<{ name: string; width: number }>, where: (line: number) => string): TableStore {
    const lines = sharedInts(capacity);
    const stored = new Map<string, StoredInput>();
    for (const { info, width, source } of inputs) {
      const column: Column = inputDef(info.type).storage === 'image-files'
        ? { kind: 'paths', data: new StringColumn(capacity) }
        : info.dtype === 'int32' ? { kind: 'ints', data: sharedInts(capacity * width) } : { kind: 'floats', data: sharedFloats(capacity * width) };
      stored.set(info.name, { info, width, column, source });
    }
    const columns = new Map(targets.map((t) => [t.name, { width: t.width, data: sharedFloats(capacity * t.width) }]));
    return new TableStore(capacity, stored, columns, lines, (position) => where(lines[position]));
  }

  /** The store for another thread: numbers are shared as they are, strings copied once into shared memory. */
  toShared(): SharedStore {
    const inputs = [...this.inputs.values()].map(({ column, ...rest }) => ({ ...rest, column: column.kind === 'paths' ? { kind: 'paths' as const, data: column.data.toShared() } : column }));
    const decodes = inputs.some((i) => i.column.kind === 'paths');
    const places = decodes ? new StringColumn(this.capacity) : undefined;
    for (let p = 0; places && p < this.capacity; p++) places.set(p, this.placeOf(p));
    return { capacity: this.capacity, inputs, targets: [...this.targets].map(([name, t]) => ({ name, ...t })), lines: this.lines, places: places?.toShared() };
  }

  /** A store over another thread's shared rows: nothing is copied. */
  static fromShared(shared: SharedStore): TableStore {
    const places = shared.places && StringColumn.fromShared(shared.places);
    const inputs = new Map(shared.inputs.map(({ column, ...rest }): [string, StoredInput] => [
      rest.info.name,
      { ...rest, column: column.kind === 'paths' ? { kind: 'paths', data: StringColumn.fromShared(column.data) } : column },
    ]));
    const targets = new Map(shared.targets.map((t) => [t.name, { width: t.width, data: t.data }]));
    return new TableStore(shared.capacity, inputs, targets, shared.lines, (position) => places?.get(position) ?? `row ${shared.lines[position]}`);
  }

  /** Zeroes a row's slots, so a rejected row can be written over (encoders assume zeroed slots). */
  clear(position: number): void {
    for (const { width, column } of this.inputs.values()) if (column.kind !== 'paths') column.data.fill(0, position * width, (position + 1) * width);
    for (const { width, data } of this.targets.values()) data.fill(0, position * width, (position + 1) * width);
  }

  /** Tensors for the rows at these positions; images are decoded now. */
  async batch(positions: ArrayLike<number>, images: ImageCache): Promise<Batch> {
    const n = positions.length;
    const xs: Record<string, tf.Tensor> = {};
    const ys: Record<string, tf.Tensor> = {};
    try {
      for (const [name, input] of this.inputs) xs[name] = await this.inputTensor(input, positions, images);
      for (const [name, t] of this.targets) ys[name] = tf.tensor(gatherRows(t.data, t.width, positions, new Float32Array(n * t.width)), [n, t.width], 'float32');
    } catch (err) {
      tf.dispose([...Object.values(xs), ...Object.values(ys)]);
      throw err;
    }
    return { xs, ys };
  }

  /** One stored image, decoded (or from the cache); a failure names the row it came from. */
  async pixels(name: string, position: number, images: ImageCache): Promise<Uint8Array> {
    const { info, column, source } = this.inputs.get(name)!;
    const file = (column.data as StringColumn).get(position);
    try {
      return await images.get(file, info.shape);
    } catch (err) {
      const message = `image ${file} cannot be decoded: ${(err as Error).message.split('\n')[0]}`;
      throw new DataError([{ where: this.placeOf(position), column: source ?? name, message, row: true }]);
    }
  }

  private async inputTensor(input: StoredInput, positions: ArrayLike<number>, images: ImageCache): Promise<tf.Tensor> {
    const n = positions.length;
    const { info, width, column } = input;
    if (column.kind === 'ints') return tf.tensor(gatherRows(column.data, width, positions, new Int32Array(n * width)), [n, ...info.shape], 'int32');
    if (column.kind === 'floats') return tf.tensor(gatherRows(column.data, width, positions, new Float32Array(n * width)), [n, ...info.shape], 'float32');
    const size = info.shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n * size);
    await Promise.all(Array.from({ length: n }, async (_, i) => writePixels(await this.pixels(info.name, positions[i], images), out, i * size)));
    return tf.tensor(out, [n, ...info.shape], 'float32');
  }
}


/** A split: some rows of a store, in the order given. */
export function storeSplit(store: TableStore, positions: Int32Array, images: ImageCache): DataSplit {
  return {
    rows: positions.length,
    batch: (indices) => store.batch(Array.from({ length: indices.length }, (_, i) => positions[indices[i]]), images),
  };
}
