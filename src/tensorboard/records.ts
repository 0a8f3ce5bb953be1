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

/** Appends records to one file, each written whole, so a reader following the file sees complete records. */
export class RecordWriter {
  constructor(readonly file: string) {
    fs.writeFileSync(file, '');
  }

  write(data: Uint8Array): void {
    fs.appendFileSync(this.file, frameRecord(data));
  }
}
