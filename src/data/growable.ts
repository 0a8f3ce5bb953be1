/** Typed arrays that grow by doubling: per-row facts for a table whose length is not known yet. */
type Typed = Int32Array | Uint8Array | Float64Array;

export class Growable<T extends Typed> {
  private data: T;
  length = 0;

  constructor(private readonly make: (n: number) => T, capacity = 1024) {
    this.data = make(capacity);
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data as never);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  /** The values pushed, trimmed to length (a copy). */
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }
}

export const growableInt32 = () => new Growable((n) => new Int32Array(n));
export const growableUint8 = () => new Growable((n) => new Uint8Array(n));
