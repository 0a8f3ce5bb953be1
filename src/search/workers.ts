/**
 * How many trial workers this machine can hold: each is a thread with its own engine (and, unless
 * the rows are shared, its own copy of the data), so asking for more than the cores or the free memory allow only slows every
 * trial down or ends in out-of-memory before any trial finishes (--workers 200 on 2 cores).
 */
import * as os from 'node:os';
import type { PreparedData } from '../data/source';
import { gb } from '../spec/resources';

/** A worker's engine, compiled kernels and tfjs's bookkeeping before any data (measured ~200 MB on wasm). */
const WORKER_BASE_BYTES = 256 * 2 ** 20;
/** Room left for the main thread and the rest of the machine. */
const FREE_MEMORY_SHARE = 0.8;

/** One worker's memory: its engine, plus its copy of the training, validation and test rows (images as floats) unless they are shared. */
export function workerBytes(data: Pick<PreparedData, 'inputs' | 'train' | 'validation' | 'test' | 'share'>): number {
  if (data.share) return WORKER_BASE_BYTES;
  const rows = data.train.rows + data.validation.rows + (data.test?.rows ?? 0);
  const example = Object.values(data.inputs).reduce((sum, i) => sum + i.shape.reduce((a, b) => a * b, 1) * 4, 0);
  return WORKER_BASE_BYTES + rows * example;
}

/** Trials at once when not asked: every core where a trial uses one (wasm, cpu), one where the engine uses every core itself (native TensorFlow, a GPU). */
export const defaultWorkers = (backend: string): number => (backend === 'wasm' || backend === 'cpu' ? os.availableParallelism() : 1);

/** The workers to train a search's data with on this machine: those asked (or the default), capped by its cores and free memory. */
export function trialWorkers(requested: number | undefined, backend: string, data: Parameters<typeof workerBytes>[0]): { workers: number; note?: string } {
  return capWorkers(requested ?? defaultWorkers(backend), { cores: os.availableParallelism(), freeMemory: os.freemem(), perWorker: workerBytes(data) });
}

export function capWorkers(requested: number, machine: { cores: number; freeMemory: number; perWorker: number }): { workers: number; note?: string } {
  const byMemory = Math.max(1, Math.floor((machine.freeMemory * FREE_MEMORY_SHARE) / machine.perWorker));
  const workers = Math.max(1, Math.min(requested, machine.cores, byMemory));
  if (workers === requested) return { workers };
  const why = workers === machine.cores && machine.cores < byMemory ? `${machine.cores} cores` : `${gb(machine.freeMemory)} free memory, about ${gb(machine.perWorker)} per worker`;
  return { workers, note: `${requested} workers asked, ${workers} used (${why})` };
}
