/**
 * The chief's side of a distributed search: an Executor whose trials run on a BullMQ queue, so the
 * search loop, its oracle, resume and the leaderboard stay the local ones. Each trial is one job
 * with a deterministic id; the chief polls its job (state, progress, result) rather than listening
 * to events, because polling survives a Redis restart that loses every key: a job that vanished
 * is simply added again.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { paths } from '../search/project';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PreparedData } from '../data/source';
import type { Spec } from '../spec/types';
import type { TrialJob, TrialOutcome } from '../search/execute';
import type { Executor, Reporter } from '../search/types';
import { readJson, writeJsonAtomic } from '../util/atomic';
import { packageVersion } from '../util/package-info';
import { KEY_PREFIX, Notify, QueueError, clockOffset, connect, redactUrl } from './redis';
import {
  HEARTBEAT_MS, QueueJobData, QueueProgress, QueueResult, SearchEntry, capacityFor, fingerprint, jobId, listWorkers, publishSearch, readSearch,
  thisProcess, withdrawSearch,
} from './registry';

/** How often the chief looks at each job in flight. */
const POLL_MS = 250;

export interface ChiefOptions {
  url: string;
  spec: Spec;
  data: PreparedData;
  project: string;
  backend: string;
  notify: Notify;
}

/** The file in the project that keeps the search's id across --resume. */
const queueFile = (project: string) => paths(project).queue;

export async function queueExecutor(options: ChiefOptions): Promise<Executor> {
  const client = connect(options.url, options.notify, 'automm-chief');
  const queueName = options.spec.name;
  const queue = new Queue<QueueJobData, QueueResult>(queueName, { connection: client, prefix: KEY_PREFIX });
  const entry: SearchEntry = {
    queue: queueName, searchId: '', session: randomUUID(), version: packageVersion(), chief: thisProcess(), stopping: false, startedAt: Date.now(),
    spec: { ...options.spec, file: path.resolve(options.spec.file) }, project: path.resolve(options.project), dataHash: fingerprint(options.data.preprocessing),
  };
  await refuseOtherSearch(client, entry, options.url);
  let offset = await clockOffset(client);
  let capacity = capacityFor(await listWorkers(client), entry);
  if (capacity === 0) options.notify(`no worker serves "${queueName}" yet; start some with: automm worker --queue ${redactUrl(options.url)}`);
  let wake: (() => void) | undefined;
  let started: Promise<void> | undefined;

  // After a Redis restart that lost every key, the search is published again at once.
  client.on('ready', () => void (entry.searchId && publishSearch(client, entry).catch(() => undefined)));
  const heartbeat = setInterval(() => void beat().catch(() => undefined), HEARTBEAT_MS);
  async function beat(): Promise<void> {
    if (entry.searchId) await publishSearch(client, entry);
    const now = capacityFor(await listWorkers(client), entry);
    if (now !== capacity) (capacity = now, wake?.());
    offset = await clockOffset(client);
  }

  /** First trial: the project directory now exists (startProject ran), so the search's id can live there. */
  const start = () => (started ??= (async () => {
    const file = queueFile(options.project);
    const known = fs.existsSync(file) ? readJson<{ searchId: string }>(file).searchId : undefined;
    entry.searchId = known ?? randomUUID().slice(0, 8);
    // A fresh search clears what an abandoned one of the same name left on the queue.
    if (!known) (await queue.obliterate({ force: true }), writeJsonAtomic(file, { searchId: entry.searchId, queue: queueName }));
    await publishSearch(client, entry);
  })());

  const run = async (job: TrialJob, reporter: Reporter): Promise<TrialOutcome> => {
    await start();
    const data = (): QueueJobData => ({ searchId: entry.searchId, version: entry.version, trial: { ...job, deadline: job.deadline === undefined ? undefined : job.deadline + offset } });
    return followJob(queue, jobId(entry.searchId, job), data, job.index, reporter, () => entry.stopping);
  };
  return {
    get workers() { return Math.max(1, capacity); },
    backend: `queue (${options.backend} on the chief)`,
    run,
    capacityChanged: () => new Promise<void>((resolve) => (wake = resolve)),
    stop: () => {
      entry.stopping = true;
      if (entry.searchId) void publishSearch(client, entry).catch(() => undefined);
    },
    close: async () => {
      clearInterval(heartbeat);
      // Every trial has its outcome in the project now: the queue is cleared for the next search.
      if (entry.searchId) await Promise.all([withdrawSearch(client, queueName), queue.obliterate({ force: true })]).catch(() => undefined);
      await queue.close();
      client.disconnect();
    },
  };
}

/** Two chiefs on one queue would take each other's trials: the second one is refused. */
async function refuseOtherSearch(client: Redis, entry: SearchEntry, url: string): Promise<void> {
  const other = await readSearch(client, entry.queue);
  if (!other || other.project === entry.project) return;
  throw new QueueError(
    `the queue "${entry.queue}" on ${redactUrl(url)} belongs to another search (${other.project}, chief ${other.chief}); stop that one or give this search another name`,
  );
}

/** Adds the job unless it is there already, then follows it to its outcome. */
async function followJob(queue: Queue<QueueJobData, QueueResult>, id: string, data: () => QueueJobData, index: number, reporter: Reporter, stopping: () => boolean): Promise<TrialOutcome> {
  let shown = 0;
  for (;;) {
    const job = await queue.getJob(id);
    if (!job) {
      await queue.add('trial', data(), { jobId: id });
      continue;
    }
    const state = await job.getState();
    if (state === 'completed') {
      const result = job.returnvalue as QueueResult | null;
      // Read before the job completed, its state after: read it again.
      if (!result) continue;
      // An interrupted result left by an earlier chief is not this run's answer: train it again.
      if (result.status !== 'running' || stopping()) return (showProgress(result, index, shown, reporter), result);
      await job.remove();
      continue;
    }
    if (state === 'failed') return { status: 'failed', history: [], message: failureMessage(job.failedReason), durationMs: 0 };
    if (stopping() && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
      await job.remove().catch(() => undefined);
      return { status: 'running', history: [], message: 'interrupted before a worker took it; --resume trains it', durationMs: 0 };
    }
    shown = showProgress(job.progress as QueueProgress | number, index, shown, reporter);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Reports the epochs not shown yet and the batch in progress; returns how many epochs are shown. */
function showProgress(progress: QueueProgress | QueueResult | number, index: number, shown: number, reporter: Reporter): number {
  if (typeof progress !== 'object' || progress === null) return shown;
  // A retried trial (its worker died) starts again from its first epoch.
  if (progress.history.length < shown) shown = 0;
  for (; shown < progress.history.length; shown++) reporter.epoch?.(index, shown, progress.history[shown], progress.worker);
  if ('batch' in progress && progress.batch) reporter.batch?.(index, ...progress.batch, progress.worker);
  return shown;
}

function failureMessage(reason: string | undefined): string {
  if (reason && /stalled/i.test(reason)) return 'the workers running this trial stopped answering (killed, or their machine went down) once too often; the search goes on';
  return `the queue failed this trial: ${reason ?? 'no reason given'}`;
}
