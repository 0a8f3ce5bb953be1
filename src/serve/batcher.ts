/**
 * Micro-batching: requests that arrive together share one model call. The engine runs one call at a
 * time anyway, so rows that queue behind a call go into the next one, and a call on 64 rows costs
 * little more than a call on one (TensorFlow Serving's batching, without its thread pool).
 */
import type { InputArrays } from '../data/raw-rows';

export interface BatcherOptions {
  /** Rows per model call at most (a larger request still runs, alone). */
  maxRows: number;
  /** How long the first queued request waits for company. */
  maxDelayMs: number;
}

interface Pending<T> {
  arrays: InputArrays;
  rows: number;
  resolve(results: T[]): void;
  reject(err: unknown): void;
}

export class MicroBatcher<T> {
  /** Model calls and rows so far: for tests, the bench and the metadata route. */
  calls = 0;
  rows = 0;
  private queue: Array<Pending<T>> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly run: (arrays: InputArrays) => Promise<T[]>, private readonly options: BatcherOptions) {}

  submit(arrays: InputArrays, rows: number): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ arrays, rows, resolve, reject });
      if (this.queued() >= this.options.maxRows) this.flushSoon(0);
      else this.flushSoon(this.options.maxDelayMs);
    });
  }

  private queued(): number {
    return this.queue.reduce((n, p) => n + p.rows, 0);
  }

  private flushSoon(delay: number): void {
    if (this.timer && delay > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delay);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const batch = this.take();
    if (this.queue.length > 0) this.flushSoon(0);
    if (batch.length === 0) return;
    this.calls++;
    this.rows += batch.reduce((n, p) => n + p.rows, 0);
    try {
      const results = await this.run(concat(batch.map((p) => p.arrays)));
      let at = 0;
      for (const p of batch) (p.resolve(results.slice(at, at + p.rows)), (at += p.rows));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  /** Queued requests up to maxRows (at least one), first come first served. */
  private take(): Array<Pending<T>> {
    let rows = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || rows + this.queue[n].rows <= this.options.maxRows)) rows += this.queue[n++].rows;
    return this.queue.splice(0, n);
  }
}

/** One array per input holding the rows of every part, in order. */
export function concat(parts: InputArrays[]): InputArrays {
  if (parts.length === 1) return parts[0];
  return Object.fromEntries(
    Object.keys(parts[0]).map((name) => {
      const arrays = parts.map((p) => p[name]);
      const first = arrays[0];
      const data = first.dtype === 'int32' ? new Int32Array(arrays.reduce((n, a) => n + a.data.length, 0)) : new Float32Array(arrays.reduce((n, a) => n + a.data.length, 0));
      let at = 0;
      for (const a of arrays) (data.set(a.data, at), (at += a.data.length));
      return [name, { data, dtype: first.dtype, shape: [arrays.reduce((n, a) => n + a.shape[0], 0), ...first.shape.slice(1)] }];
    }),
  );
}
