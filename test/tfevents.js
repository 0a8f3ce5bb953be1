"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.eventsIn = exports.msg = exports.str = exports.one = exports.mask = void 0;
exports.referenceCrc = referenceCrc;
exports.readRecords = readRecords;
exports.fields = fields;
exports.decodeEvent = decodeEvent;
/**
 * A TensorBoard event-file reader written from the specifications (TFRecord framing, CRC-32C,
 * protobuf wire format), sharing no code with automm's writer: the tests read its files with it.
 */
const assert = __importStar(require("node:assert/strict"));
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
/** Bitwise CRC-32C, the textbook way (no table): an independent check of the writer's. */
function referenceCrc(bytes) {
    let crc = ~0 >>> 0;
    for (const b of bytes) {
        crc ^= b;
        for (let k = 0; k < 8; k++)
            crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
    }
    return ~crc >>> 0;
}
const mask = (crc) => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
exports.mask = mask;
/** Splits a TFRecord file into records, checking both CRCs of each. */
function readRecords(file) {
    const buf = fs.readFileSync(file);
    const out = [];
    for (let at = 0; at < buf.length;) {
        const len = Number(buf.readBigUInt64LE(at));
        assert.equal(buf.readUInt32LE(at + 8), (0, exports.mask)(referenceCrc(buf.subarray(at, at + 8))), 'length CRC');
        const data = buf.subarray(at + 12, at + 12 + len);
        assert.equal(buf.readUInt32LE(at + 12 + len), (0, exports.mask)(referenceCrc(data)), 'data CRC');
        out.push(data);
        at += 12 + len + 4;
    }
    return out;
}
/** Protobuf wire format: every field by number, in order. */
function fields(buf) {
    const out = new Map();
    let at = 0;
    const varint = () => {
        let v = 0n, shift = 0n;
        for (;;) {
            const b = buf[at++];
            v |= BigInt(b & 0x7f) << shift;
            if (!(b & 0x80))
                return v;
            shift += 7n;
        }
    };
    while (at < buf.length) {
        const key = Number(varint());
        const wire = key & 7, num = key >> 3;
        let value;
        if (wire === 0)
            value = varint();
        else if (wire === 1)
            (value = buf.subarray(at, at + 8)), (at += 8);
        else if (wire === 5)
            (value = buf.subarray(at, at + 4)), (at += 4);
        else if (wire === 2) {
            const len = Number(varint());
            value = buf.subarray(at, at + len);
            at += len;
        }
        else
            throw new Error(`wire type ${wire}`);
        out.set(num, [...(out.get(num) ?? []), { wire, value }]);
    }
    return out;
}
const one = (m, n) => m.get(n)?.[0]?.value;
exports.one = one;
const str = (m, n) => (0, exports.one)(m, n)?.toString('utf8');
exports.str = str;
const msg = (m, n) => fields((0, exports.one)(m, n));
exports.msg = msg;
function decodeEvent(buf) {
    const e = fields(buf);
    const summary = e.has(5) ? (0, exports.msg)(e, 5) : undefined;
    const values = (summary?.get(1) ?? []).map((f) => {
        const v = fields(f.value);
        const meta = v.has(9) ? (0, exports.msg)(v, 9) : undefined;
        const plugin = meta?.has(1) ? (0, exports.msg)(meta, 1) : undefined;
        return { tag: (0, exports.str)(v, 1), simple: v.has(2) ? (0, exports.one)(v, 2).readFloatLE(0) : undefined, plugin: plugin && (0, exports.str)(plugin, 1), content: plugin && (0, exports.one)(plugin, 2) };
    });
    return { wallTime: (0, exports.one)(e, 1).readDoubleLE(0), step: Number((0, exports.one)(e, 2) ?? 0n), fileVersion: (0, exports.str)(e, 3), graph: (0, exports.one)(e, 4), values };
}
const eventsIn = (dir) => fs.readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.')).flatMap((f) => readRecords(path.join(dir, f)).map((r) => decodeEvent(r)));
exports.eventsIn = eventsIn;
//# sourceMappingURL=tfevents.js.map