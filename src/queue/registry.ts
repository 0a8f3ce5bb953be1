/**
 * Who is on a Redis: the searches (one key per chief, refreshed while it runs) and the workers
 * (one key per worker process). Keys expire on their own, so a killed chief or worker drops out
 * without anyone cleaning up after it.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import type { Redis } from 'ioredis';
import type { Spec } from '../spec/types';
import type { TrialJob, TrialOutcome } from '../search/execute';
import type { EpochLogs } from '../search/trial';
import { KEY_PREFIX } from './redis';

/** How often chief and workers refresh their keys, and how long a key outlives its last refresh. */
export const HEARTBEAT_MS = 1000;
export const HEARTBEAT_TTL_MS = 10_000;

/** What a chief publishes about its search: everything a worker needs to train its trials. */
export interface SearchEntry {
  /** The BullMQ queue of this search: the project name. */
  queue: string;
  /** Stable across --resume, new for every fresh search: job ids and stale jobs are told apart by it. */
  searchId: string;
  /** One per chief process: a worker that sees a new session reloads the search. */
  session: string;
  version: string;
  /** The spec as run, its file path absolute (data paths resolve from it). */
  spec: Spec;
  /** The project directory, absolute: workers write trial models there (a shared filesystem). */
  project: string;
  /** sha256 of the preprocessing learned from the data: a worker whose data prepares differently is refused. */
  dataHash: string;
  chief: string;
  /** The chief was interrupted: trials in flight stop at their next epoch boundary. */
  stopping: boolean;
  startedAt: number;
}

export interface WorkerEntry {
  worker: string;
  version: string;
  concurrency: number;
  /** The queue it takes trials from now, if any. */
  serving?: string;
}

/** A job on a search's queue. `deadline` is on Redis's clock (see clockOffset). */
export interface QueueJobData {
  searchId: string;
  version: string;
  trial: TrialJob;
}

/** What a worker reports while it trains: where, the finished epochs, the batch in progress. */
export interface QueueProgress {
  worker: string;
  history: EpochLogs[];
  batch?: [epoch: number, batch: number, batches: number];
}

/** A job's result: the trial's outcome and who trained it. */
export type QueueResult = TrialOutcome & { worker: string };

/** This process as chief and workers name it: host:pid. */
export const thisProcess = (): string => `${os.hostname()}:${process.pid}`;

export const fingerprint = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

const searchKey = (queue: string) => `${KEY_PREFIX}:search:${queue}`;
const workerKey = (worker: string) => `${KEY_PREFIX}:worker:${worker}`;

export async function publishSearch(client: Redis, entry: SearchEntry): Promise<void> {
  await client.set(searchKey(entry.queue), JSON.stringify(entry), 'PX', HEARTBEAT_TTL_MS);
}

export async function readSearch(client: Redis, queue: string): Promise<SearchEntry | undefined> {
  const text = await client.get(searchKey(queue));
  return text ? (JSON.parse(text) as SearchEntry) : undefined;
}

export async function withdrawSearch(client: Redis, queue: string): Promise<void> {
  await client.del(searchKey(queue));
}

export async function publishWorker(client: Redis, entry: WorkerEntry): Promise<void> {
  await client.set(workerKey(entry.worker), JSON.stringify(entry), 'PX', HEARTBEAT_TTL_MS);
}

export async function withdrawWorker(client: Redis, worker: string): Promise<void> {
  await client.del(workerKey(worker));
}

/** Every live search, oldest first (a worker serves the oldest it can). */
export async function listSearches(client: Redis): Promise<SearchEntry[]> {
  const entries = await readAll<SearchEntry>(client, searchKey('*'));
  return entries.sort((a, b) => a.startedAt - b.startedAt);
}

export const listWorkers = (client: Redis): Promise<WorkerEntry[]> => readAll<WorkerEntry>(client, workerKey('*'));

async function readAll<T>(client: Redis, pattern: string): Promise<T[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 100);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  // A key may expire between SCAN and MGET: its slot comes back null.
  return (await client.mget(keys)).filter((v): v is string => v !== null).map((v) => JSON.parse(v) as T);
}

/** Trials a search can run at once: the concurrency of the workers serving it or free to. */
export function capacityFor(workers: WorkerEntry[], search: Pick<SearchEntry, 'queue' | 'version'>): number {
  return workers.filter((w) => w.version === search.version && (w.serving === undefined || w.serving === search.queue)).reduce((n, w) => n + w.concurrency, 0);
}

/** Why a worker must not take a search's trials, or undefined when it may. */
export function refusal(entry: SearchEntry, own: { version: string }): string | undefined {
  if (entry.version !== own.version) {
    return `its chief (${entry.chief}) runs automm ${entry.version} and this worker ${own.version}; run the same version on every machine`;
  }
  return undefined;
}

/**
 * A job's id: the search, the trial, and a digest of what it trains, so a resumed chief finds the
 * job it left on the queue, and a job made for other values is never mistaken for it.
 */
export function jobId(searchId: string, job: TrialJob): string {
  const { deadline: _deadline, ...what } = job;
  return `${searchId}.${job.id}.${fingerprint(what).slice(0, 8)}`;
}
