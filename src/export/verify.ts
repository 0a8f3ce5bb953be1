/**
 * Saved models are checked when they are loaded: weights.bin must have the length its weight list
 * implies and the SHA-256 recorded when it was written (in model.json's userDefinedMetadata, which
 * plain tfjs carries along and ignores). NaN or infinite outputs are checked in artifact-error.ts.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { ArtifactError } from './artifact-error';

export { ArtifactError };

/** What automm records about the weights in model.json. */
export interface WeightsRecord {
  bytes: number;
  sha256: string;
}

export const weightsRecord = (bytes: Uint8Array): WeightsRecord => ({ bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') });

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

interface WeightSpec { name: string; shape: number[]; dtype: string; quantization?: { dtype: string } }

/** The byte length a weight list implies (quantized weights take their quantized size). */
export function expectedBytes(specs: WeightSpec[]): number {
  return specs.reduce((sum, w) => {
    const per = w.quantization ? (w.quantization.dtype === 'float16' || w.quantization.dtype === 'uint16' ? 2 : 1) : DTYPE_BYTES[w.dtype] ?? 4;
    return sum + w.shape.reduce((a, b) => a * b, 1) * per;
  }, 0);
}

/** Throws naming the file when the weight bytes are not the ones model.json describes. */
export function verifyWeights(dir: string, file: string, bytes: Uint8Array, specs: WeightSpec[], record?: WeightsRecord): void {
  const where = path.join(dir, file);
  const expected = expectedBytes(specs);
  const redo = 'export the model again (automm export --best) or retrain it';
  if (bytes.byteLength !== expected) {
    throw new ArtifactError(`${where}: ${bytes.byteLength} bytes, but model.json's weights need ${expected} (${bytes.byteLength < expected ? 'truncated' : 'not this model\'s weights'}); ${redo}`);
  }
  if (record && weightsRecord(bytes).sha256 !== record.sha256) {
    throw new ArtifactError(`${where}: the SHA-256 differs from the one recorded when it was written (the file was changed or damaged); ${redo}`);
  }
}
