import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireLock, LockError, staleReason } from './lock';
import { recoverReplacedDir } from './atomic';
import { capWorkers } from '../search/workers';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'automm-lock-'));

test('a held lock refuses a second holder, names the first, and is released', () => {
  const file = path.join(tmp(), '.automm-lock');
  const lock = acquireLock(file, 'search');
  assert.throws(() => acquireLock(file, 'export'), (e: unknown) => e instanceof LockError && e.message.includes(`automm search (pid ${process.pid} on ${os.hostname()}`));
  lock.release();
  assert.ok(!fs.existsSync(file));
  acquireLock(file, 'export').release();
});

test('stale locks: a dead pid, a reused pid; another host is never stale', () => {
  const base = { host: os.hostname(), since: '2026-01-01T00:00:00.000Z', command: 'search' };
  assert.match(staleReason({ ...base, pid: 999999999 })!, /no longer running/);
  assert.match(staleReason({ ...base, pid: process.pid, processStart: '1' })!, /belongs to another process/);
  assert.equal(staleReason({ ...base, pid: process.pid }), undefined);
  assert.equal(staleReason({ ...base, host: 'elsewhere', pid: 999999999 }), undefined);
  const file = path.join(tmp(), '.automm-lock');
  fs.writeFileSync(file, JSON.stringify({ ...base, pid: 999999999 }));
  const lock = acquireLock(file, 'search');
  assert.match(lock.staleNote!, /removed a stale lock .*pid 999999999.*no longer running/);
  lock.release();
});

test('an interrupted directory replacement is put back, and its temporary copy removed', () => {
  const dir = tmp();
  const target = path.join(dir, 'export');
  fs.mkdirSync(`${target}.tmp-999999999-1-0.old`);
  fs.writeFileSync(`${target}.tmp-999999999-1-0.old/model.json`, '{}');
  fs.mkdirSync(`${target}.tmp-999999999-2-0`);
  recoverReplacedDir(target);
  assert.deepEqual(fs.readdirSync(dir), ['export']);
  assert.ok(fs.existsSync(path.join(target, 'model.json')));
});

test('workers are capped by cores and by free memory', () => {
  const GB = 2 ** 30;
  assert.deepEqual(capWorkers(2, { cores: 4, freeMemory: 16 * GB, perWorker: GB }), { workers: 2 });
  assert.equal(capWorkers(200, { cores: 2, freeMemory: 16 * GB, perWorker: GB }).workers, 2);
  const byMemory = capWorkers(8, { cores: 16, freeMemory: 4 * GB, perWorker: GB });
  assert.equal(byMemory.workers, 3);
  assert.match(byMemory.note!, /8 workers asked, 3 used \(4 GB free memory, about 1 GB per worker\)/);
});
