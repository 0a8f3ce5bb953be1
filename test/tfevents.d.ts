/** Bitwise CRC-32C, the textbook way (no table): an independent check of the writer's. */
export declare function referenceCrc(bytes: Uint8Array): number;
export declare const mask: (crc: number) => number;
/** Splits a TFRecord file into records, checking both CRCs of each. */
export declare function readRecords(file: string): Buffer[];
export type Field = {
    wire: number;
    value: bigint | Buffer;
};
/** Protobuf wire format: every field by number, in order. */
export declare function fields(buf: Buffer): Map<number, Field[]>;
export declare const one: (m: Map<number, Field[]>, n: number) => bigint | Buffer<ArrayBufferLike> | undefined;
export declare const str: (m: Map<number, Field[]>, n: number) => string | undefined;
export declare const msg: (m: Map<number, Field[]>, n: number) => Map<number, Field[]>;
export interface Decoded {
    wallTime: number;
    step: number;
    fileVersion?: string;
    graph?: Buffer;
    values: Array<{
        tag: string;
        simple?: number;
        plugin?: string;
        content?: Buffer;
    }>;
}
export declare function decodeEvent(buf: Buffer): Decoded;
export declare const eventsIn: (dir: string) => Decoded[];
