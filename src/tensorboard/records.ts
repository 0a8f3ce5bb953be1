/**
 * TFRecord framing, the container of TensorBoard event files: for each record, its length (uint64
 * little-endian), the masked CRC-32C of those 8 bytes, the data, and the masked CRC-32C of the data.
 */
import * as fs from 'node:fs';
import { maskedCrc32c } from './crc32c';

export function frameRecord(data: Uint8Array): Buffer {
  const header = Buffer.alloc(12);
  header.writeBigUInt64LE(BigInt(data.length), 0);
  header.writeUInt32LE(maskedCrc32c(header.subarray(0, 8)), 8);
  const footer = Buffer.alloc(4);
  footer.writeUInt32LE(maskedCrc32c(data), 0);
  return Buffer.concat([header, data, footer]);
}

/**
 * Appends records to one file through one descriptor kept open, each record written whole, so a
 * reader following the file sees complete records. A record is with the OS once write() returns, so
 * a crash of the process loses none; close() flushes it to the disk and releases the descriptor.
 */
export class RecordWriter {
  private fd: number | undefined;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  write(data: Uint8Array): void {
    if (this.fd === undefined) throw new Error(`${this.file}: written after close()`);
    const record = frameRecord(data);
    for (let done = 0; done < record.length; ) done += fs.writeSync(this.fd, record, done);
  }

  /** Idempotent: a run's writers may be closed by its end and again by the search's. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
}
