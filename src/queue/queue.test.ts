import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkUrl, redactUrl, retryDelay } from './redis';
import { SearchEntry, capacityFor, jobId, refusal } from './registry';
import type { TrialJob } from '../search/execute';
import { matchPool } from './worker';

test('URLs: passwords never reach a message; bad schemes and dbs are usage errors', () => {
  assert.equal(redactUrl('redis://:s3cret@host:6379/2'), 'redis://:***@host:6379/2');
  assert.equal(redactUrl('rediss://user:s3cret@host:6380'), 'rediss://user:***@host:6380');
  assert.equal(redactUrl('redis://host:6379'), 'redis://host:6379');
  for (const ok of ['redis://127.0.0.1:6379', 'rediss://:pw@h:1/0', 'redis://h']) assert.doesNotThrow(() => checkUrl(ok));
  assert.throws(() => checkUrl('http://h:1'), /expects a redis:\/\/ or rediss:\/\/ URL/);
  assert.throws(() => checkUrl('redis://:pw@h:1/x'), /database after the port must be a number, got "\/x"/);
  assert.throws(() => checkUrl('not a url :pw@'), (e: Error) => e.name === 'QueueError' && !e.message.includes('pw@'));
});

test('reconnection backs off from 0.5 s to at most 10 s', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 50].map(retryDelay), [500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
});

test('capacity counts workers of the same version that serve this search or none', () => {
  const search = { queue: 'a', version: '1.0.0' };
  const workers = [
    { worker: 'h:1', version: '1.0.0', concurrency: 2, serving: 'a' },
    { worker: 'h:2', version: '1.0.0', concurrency: 3 },
    { worker: 'h:3', version: '1.0.0', concurrency: 4, serving: 'b' },
    { worker: 'h:4', version: '0.9.0', concurrency: 5 },
  ];
  assert.equal(capacityFor(workers, search), 5);
  assert.equal(capacityFor([], search), 0);
});

test('a worker of another version is refused, naming both versions', () => {
  const entry = { version: '1.0.0', chief: 'box:7' } as SearchEntry;
  assert.equal(refusal(entry, { version: '1.0.0' }), undefined);
  assert.match(refusal(entry, { version: '1.1.0' })!, /chief \(box:7\) runs automm 1\.0\.0 and this worker 1\.1\.0/);
});

test('job ids: the same trial gets the same id whatever its deadline; other values or searches get others', () => {
  const job: TrialJob = { id: 'trial_003', index: 3, seed: 9, values: { 'dense/units': 32 }, epochs: 2, deadline: 1 };
  const id = jobId('s1', job);
  assert.match(id, /^s1\.trial_003\.[0-9a-f]{8}$/);
  assert.equal(jobId('s1', { ...job, deadline: 99 }), id);
  assert.notEqual(jobId('s1', { ...job, values: { 'dense/units': 64 } }), id);
  assert.notEqual(jobId('s2', job), id);
  assert.notEqual(jobId('s1', { ...job, refit: true }), id);
});

test('a pool that lost a worker takes, and advertises, as many trials at once as it has workers left', () => {
  const serving = { pool: { workers: 2 }, concurrency: 2, bull: { concurrency: 2 } };
  matchPool(serving);
  assert.deepEqual([serving.concurrency, serving.bull.concurrency], [2, 2]);
  serving.pool.workers = 1;
  matchPool(serving);
  assert.deepEqual([serving.concurrency, serving.bull.concurrency], [1, 1]);
  // None left: the concurrency stays; the pool's next trial fails with why no worker started.
  serving.pool.workers = 0;
  matchPool(serving);
  assert.deepEqual([serving.concurrency, serving.bull.concurrency], [1, 1]);
});
