/**
 * The feature cache on disk: one append-only file per backbone configuration (model file hash,
 * output layer, preprocessing, input size), holding records of (sha1 of an image's pixels, its
 * features). Appending whole records keeps it safe to extend from a resumed search; a record cut
 * short by a kill is ignored on reading. A lock file lets one worker compute while others wait,
 * so every image goes through the backbone once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeJsonAtomic } from '../util/atomic';

const HASH_BYTES = 20;
/** A lock not touched for this long belongs to a process that died: taken over. */
const STALE_LOCK_MS = 60_000;

export class FeatureStore {
  readonly entries = new Map<string, Float32Array>();
  private readonly file: string;
  private readonly lockFile: string;
  private readonly recordBytes: number;

  constructor(readonly dir: string, readonly key: string, readonly featureSize: number, meta: object) {
    this.file = path.join(dir, `${key}.bin`);
    this.lockFile = path.join(dir, `${key}.lock`);
    this.recordBytes = HASH_BYTES + featureSize * 4;
    fs.mkdirSync(dir, { recursive: true });
    // What the key stands for, for whoever looks into the project.
    const metaFile = path.join(dir, `${key}.json`);
    if (!fs.existsSync(metaFile)) writeJsonAtomic(metaFile, { ...meta, featureSize });
    this.reload();
  }

  /** Reads every whole record on disk (another worker may have appended since). */
  reload(): void {
    if (!fs.existsSync(this.file)) return;
    const bytes = fs.readFileSync(this.file);
    const whole = Math.floor(bytes.length / this.recordBytes);
    for (let r = 0; r < whole; r++) {
      const at = r * this.recordBytes;
      const hash = bytes.subarray(at, at + HASH_BYTES).toString('hex');
      if (this.entries.has(hash)) continue;
      const features = new Float32Array(this.featureSize);
      Buffer.from(features.buffer).set(bytes.subarray(at + HASH_BYTES, at + this.recordBytes));
      this.entries.set(hash, features);
    }
  }

  add(records: Array<[string, Float32Array]>): void {
    const out = Buffer.alloc(records.length * this.recordBytes);
    records.forEach(([hash, features], r) => {
      const at = r * this.recordBytes;
      Buffer.from(hash, 'hex').copy(out, at);
      Buffer.from(features.buffer, features.byteOffset, features.byteLength).copy(out, at + HASH_BYTES);
      this.entries.set(hash, features);
    });
    fs.appendFileSync(this.file, out);
    if (fs.existsSync(this.lockFile)) fs.utimesSync(this.lockFile, new Date(), new Date());
  }

  /** Runs fn holding the store's lock; the entries are reloaded first, as another holder may have added some. */
  async locked<T>(fn: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        fs.writeFileSync(this.lockFile, String(process.pid), { flag: 'wx' });
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        if (this.lockIsStale()) fs.rmSync(this.lockFile, { force: true });
        else await new Promise((r) => setTimeout(r, 100));
      }
    }
    try {
      this.reload();
      return await fn();
    } finally {
      fs.rmSync(this.lockFile, { force: true });
    }
  }

  private lockIsStale(): boolean {
    try {
      return Date.now() - fs.statSync(this.lockFile).mtimeMs > STALE_LOCK_MS;
    } catch {
      return false;
    }
  }
}
