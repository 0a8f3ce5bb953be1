/**
 * The Redis connection of a chief or a worker: the URL as the user wrote it (redis:// or rediss://,
 * password and db included), reconnection with backoff that says what it is doing, and the clock
 * that chief and workers share (Redis's), so a time limit means the same moment on every machine.
 */
import { Redis } from 'ioredis';

export class QueueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueError';
  }
}

/** Prefix of every key automm writes (BullMQ's queues and the search registry). */
export const KEY_PREFIX = 'automm';

/** Backoff between reconnection attempts: 0.5 s doubling to at most 10 s. */
export const retryDelay = (attempt: number): number => Math.min(500 * 2 ** Math.max(0, attempt - 1), 10_000);

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  if (!/^rediss?:\/\//.test(url)) return url.replace(/^.*@/, '***@');
  return url.replace(/^(rediss?:\/\/)([^@/]*)@/, (_, scheme: string, auth: string) => `${scheme}${auth.includes(':') ? `${auth.split(':')[0]}:***` : '***'}@`);
}

/** Checks the URL's shape here, so a typo is a usage error rather than an endless reconnect loop. */
export function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new QueueError(`--queue expects redis://[:password@]host:port[/db] or rediss://..., got "${redactUrl(url)}"`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new QueueError(`--queue expects a redis:// or rediss:// URL, got "${parsed.protocol}//..."`);
  }
  if (!parsed.hostname) throw new QueueError(`--queue: no host in "${redactUrl(url)}"`);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new QueueError(`--queue: the database after the port must be a number, got "/${db}"`);
}

/** Connection news for the command line to print (library code does not write to the terminal). */
export type Notify = (line: string) => void;

/**
 * A client that retries forever with backoff (commands wait meanwhile, as BullMQ's workers
 * require), and tells `notify` when it loses and regains the server.
 */
export function connect(url: string, notify: Notify, name = 'automm'): Redis {
  checkUrl(url);
  const where = redactUrl(url);
  let lastError = '';
  let down = false;
  const client = new Redis(url, { maxRetriesPerRequest: null, connectionName: name, retryStrategy: retryDelay });
  client.on('error', (err: Error & { code?: string }) => void (lastError = err.code ?? err.message));
  client.on('reconnecting', (delay: number) => {
    down = true;
    notify(`cannot reach redis at ${where} (${lastError || 'connection lost'}); retrying in ${(delay / 1000).toFixed(1)}s`);
  });
  client.on('ready', () => {
    if (down) notify(`connected to redis at ${where}`);
    down = false;
  });
  return client;
}

/** Redis's clock minus this machine's, in ms (half the round trip is the error bound). */
export async function clockOffset(client: Redis): Promise<number> {
  const before = Date.now();
  const [seconds, micros] = await client.time();
  const after = Date.now();
  return Number(seconds) * 1000 + Number(micros) / 1000 - (before + after) / 2;
}
