/**
 * For tests: a TensorBoard event-file reader written from the specifications (TFRecord framing, CRC-32C,
 * protobuf wire format), sharing no code with automm's writer: the tests read its files with it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Bitwise CRC-32C, the textbook way (no table): an independent check of the writer's. */
export function referenceCrc(bytes: Uint8Array): number {
  let crc = ~0 >>> 0;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}
export const mask = (crc: number) => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;

/** Splits a TFRecord file into records, checking both CRCs of each. */
export function readRecords(file: string): Buffer[] {
  const buf = fs.readFileSync(file);
  const out: Buffer[] = [];
  for (let at = 0; at < buf.length; ) {
    const len = Number(buf.readBigUInt64LE(at));
    assert.equal(buf.readUInt32LE(at + 8), mask(referenceCrc(buf.subarray(at, at + 8))), 'length CRC');
    const data = buf.subarray(at + 12, at + 12 + len);
    assert.equal(buf.readUInt32LE(at + 12 + len), mask(referenceCrc(data)), 'data CRC');
    out.push(data);
    at += 12 + len + 4;
  }
  return out;
}

export type Field = { wire: number; value: bigint | Buffer };
/** Protobuf wire format: every field by number, in order. */
export function fields(buf: Buffer): Map<number, Field[]> {
  const out = new Map<number, Field[]>();
  let at = 0;
  const varint = () => {
    let v = 0n, shift = 0n;
    for (;;) {
      const b = buf[at++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const wire = key & 7, num = key >> 3;
    let value: bigint | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 1) (value = buf.subarray(at, at + 8)), (at += 8);
    else if (wire === 5) (value = buf.subarray(at, at + 4)), (at += 4);
    else if (wire === 2) {
      const len = Number(varint());
      value = buf.subarray(at, at + len);
      at += len;
    } else throw new Error(`wire type ${wire}`);
    out.set(num, [...(out.get(num) ?? []), { wire, value }]);
  }
  return out;
}
export const one = (m: Map<number, Field[]>, n: number) => m.get(n)?.[0]?.value;
export const str = (m: Map<number, Field[]>, n: number) => (one(m, n) as Buffer | undefined)?.toString('utf8');
export const msg = (m: Map<number, Field[]>, n: number) => fields(one(m, n) as Buffer);

export interface Decoded { wallTime: number; step: number; fileVersion?: string; graph?: Buffer; values: Array<{ tag: string; simple?: number; plugin?: string; content?: Buffer }> }

export function decodeEvent(buf: Buffer): Decoded {
  const e = fields(buf);
  const summary = e.has(5) ? msg(e, 5) : undefined;
  const values = (summary?.get(1) ?? []).map((f) => {
    const v = fields(f.value as Buffer);
    const meta = v.has(9) ? msg(v, 9) : undefined;
    const plugin = meta?.has(1) ? msg(meta, 1) : undefined;
    return { tag: str(v, 1)!, simple: v.has(2) ? (one(v, 2) as Buffer).readFloatLE(0) : undefined, plugin: plugin && str(plugin, 1), content: plugin && (one(plugin, 2) as Buffer | undefined) };
  });
  return { wallTime: (one(e, 1) as Buffer).readDoubleLE(0), step: Number(one(e, 2) ?? 0n), fileVersion: str(e, 3), graph: one(e, 4) as Buffer | undefined, values };
}

export const eventsIn = (dir: string) => fs.readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.')).flatMap((f) => readRecords(path.join(dir, f)).map((r) => decodeEvent(r)));

