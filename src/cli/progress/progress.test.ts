/** The progress displays: the facts they show (ETA, best so far), the refit's label, interrupts, JSON events, bars removed. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { Trial } from '../../search/trial';
import type { Reporter } from '../../search/types';
import { REFIT_INDEX } from '../../search/best';
import { formatDuration, formatScore } from '../../util/format';
import { barReporter, jsonReporter, lineReporter } from './index';
import { SearchState } from './state';

const objective = { metric: 'val_loss', direction: 'min' as const };
const trial = (index: number, status: Trial['status'], score?: number, message?: string): Trial => ({
  id: `trial_00${index}`, index, values: { 'photo/conv/filters': 16, 'dense/dropout': 0.25, optimizer: 'adam', learning_rate: 0.001 }, space: {}, seed: 1, epochs: 2, status, score,
  bestEpoch: score === undefined ? undefined : 1, params: 1234, durationMs: 61_000, history: [], message,
});

/** A scripted search: two trials (one better), an interrupt, a third trial cut short, the refit. */
function script(r: Reporter, clock: { t: number }): void {
  r.start!({ total: 4, workers: 1, objective, timeLimit: 600, done: [] });
  r.trialStarted!(trial(0, 'running'));
  r.batch?.(0, 0, 0, 3);
  r.epoch!(0, 0, { loss: 1.23456789, val_loss: 1.5 });
  clock.t += 60_000;
  r.trialEnded!(trial(0, 'completed', 1.456789123));
  r.trialStarted!(trial(1, 'running'));
  clock.t += 60_000;
  r.trialEnded!(trial(1, 'completed', 0.98765432));
  r.trialStarted!(trial(2, 'running'));
  r.interrupted!();
  r.trialEnded!(trial(2, 'running', undefined, 'interrupted before it finished; --resume retrains it'));
  r.refitStarted!({ trial: 'trial_001', epochs: 2 });
  r.epoch!(REFIT_INDEX, 0, { loss: 0.9, val_loss: 0.8 });
  r.refitEnded!({ trial: 'trial_001', epochs: 2, status: 'completed' });
  r.finish!({ name: 't', objective, backend: 'cpu', status: 'stopped', stopReason: 'interrupted; resume with --resume', best: 'trial_001', trials: [] });
}

test('scores print with 4 significant digits, durations as m:ss', () => {
  assert.equal(formatScore(0.98765432), '0.9877');
  assert.equal(formatScore(1234.5678), '1235');
  assert.equal(formatScore(0.000012345), '1.234e-5');
  assert.equal(formatScore(undefined), '-');
  assert.equal(formatDuration(61_000), '1:01');
  assert.equal(formatDuration(3_723_000), '1:02:03');
});

test('the ETA is the nearer of the time limit and the pace so far; the best follows the direction', () => {
  const clock = { t: 0 };
  const s = new SearchState(() => clock.t);
  s.start({ total: 10, workers: 1, objective: { metric: 'val_acc', direction: 'max' }, timeLimit: 3600, done: [] });
  assert.equal(s.etaMs(), 3_600_000);
  clock.t = 60_000;
  s.record(trial(0, 'completed', 0.5));
  assert.equal(s.etaMs(), 9 * 60_000, 'pace: 1 minute a trial, 9 left');
  s.record(trial(1, 'completed', 0.7));
  s.record(trial(2, 'failed'));
  assert.deepEqual(s.best, { id: 'trial_001', score: 0.7 });
  assert.equal(s.done, 3);
  s.record(trial(3, 'running'));
  assert.equal(s.done, 3, 'an interrupted trial is not done');
});

test('piped lines: the refit is labelled refit, the interrupt is said, and each trial ends with progress', () => {
  const clock = { t: 0 };
  const lines: string[] = [];
  script(lineReporter((l) => lines.push(l), new SearchState(() => clock.t)), clock);
  const text = lines.join('\n');
  assert.match(lines[0], /^searching: up to 4 trials, 1 at a time, objective val_loss \(min\)$/);
  assert.match(text, /trial 1\/4 trial_000 started: conv\/filters=16 dense\/dropout=0.25 optimizer=adam learning_rate=0.001/);
  assert.match(text, /trial 1\/4 epoch 1: loss 1.235 val_loss 1.5/);
  assert.match(text, /trial 2\/4 trial_001 completed: val_loss 0.9877 at epoch 2, 1,234 params, 1:01/);
  assert.match(text, /2\/4 trials, 2:00 elapsed, ETA 2:00, best val_loss 0.9877 \(trial_001\)/);
  assert.match(text, /interrupted: stopping after the epochs in flight/);
  assert.match(text, /trial 3\/4 trial_002 interrupted: interrupted before it finished/);
  assert.match(text, /refit: trial_001 retrained on training \+ validation rows for 2 epoch\(s\)\n  refit epoch 1\/2: loss 0.9 val_loss 0.8/);
  assert.doesNotMatch(text, /\d\.\d{5,}/, 'no long digit runs');
  assert.doesNotMatch(text, /trial 0\b|trial -1|trial 2 epoch/);
});

test('--json: one parseable event a line, with progress fields on trial ends and the refit marked', () => {
  const clock = { t: 0 };
  const lines: string[] = [];
  script(jsonReporter((l) => lines.push(l), new SearchState(() => clock.t)), clock);
  const events = lines.map((l) => JSON.parse(l));
  assert.deepEqual(events.map((e) => e.event), ['start', 'trial_started', 'epoch', 'trial_ended', 'trial_started', 'trial_ended', 'trial_started', 'interrupted', 'trial_ended', 'refit_started', 'epoch', 'refit_ended', 'finish']);
  const second = events[5];
  assert.deepEqual([second.done, second.total, second.best], [2, 4, { id: 'trial_001', score: 0.98765432 }]);
  assert.equal(events[10].refit, true);
  assert.equal(events[12].status, 'stopped');
  for (const e of events) assert.match(e.time, /^\d{4}-\d\d-\d\dT/);
});

test('bars: an overall bar with the facts, a bar per trial, removed when it ends, the refit drawn as refit', async () => {
  const clock = { t: 0 };
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 160, rows: 40 });
  let out = '';
  stream.on('data', (d: Buffer) => (out += d.toString()));
  const r = barReporter(stream as unknown as NodeJS.WritableStream, new SearchState(() => clock.t));
  const frames: string[] = [];
  const snapshot = () => frames.push(out);
  r.start!({ total: 4, workers: 1, objective, timeLimit: 600, done: [] });
  r.trialStarted!(trial(0, 'running'));
  r.epoch!(0, 0, { loss: 1.5, val_loss: 1.6 });
  await new Promise((res) => setTimeout(res, 1100));
  snapshot();
  r.trialEnded!(trial(0, 'completed', 1.456789));
  r.refitStarted!({ trial: 'trial_000', epochs: 2 });
  r.epoch!(REFIT_INDEX, 0, { loss: 0.9, val_loss: 0.8 });
  await new Promise((res) => setTimeout(res, 1100));
  snapshot();
  r.refitEnded!({ trial: 'trial_000', epochs: 2, status: 'completed' });
  r.finish!({ name: 't', objective, backend: 'cpu', status: 'finished', best: 'trial_000', trials: [] });
  const plain = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  const first = plain(frames[0]);
  assert.match(first, /searching: up to 4 trials/);
  assert.match(first, /search +\|.*\| 0\/4 trials \d:\d\d elapsed, ETA/);
  assert.match(first, /trial 1\/4 \|.*\| epoch 1\/2 loss 1.5 val 1.6 conv\/filters=16 dense\/dropout=0.25 optimizer=adam \+1/);
  const second = plain(frames[1].slice(frames[0].length));
  assert.match(second, /trial 1\/4 trial_000 completed: val_loss 1.457/);
  assert.match(second, /refit +\|.*\| epoch 1\/2 loss 0.9 val 0.8 trial_000 on training \+ validation rows/);
  assert.doesNotMatch(second.split('completed')[1], /trial 1\/4 \|/, 'the finished trial\'s bar is gone');
  assert.match(plain(out), /search finished: 1\/4 trials/);
});

test('bars and lines open and close a search with the same lines (a resumed search, stopped with a reason)', () => {
  const events = (r: Reporter) => {
    r.start!({ total: 4, workers: 2, objective, done: [trial(0, 'completed', 0.5)] });
    r.finish!({ name: 't', objective, backend: 'cpu', status: 'stopped', stopReason: 'time limit reached', best: 'trial_000', trials: [] });
  };
  const lines: string[] = [];
  events(lineReporter((l) => lines.push(l), new SearchState(() => 0)));
  assert.deepEqual([lines[0], lines.at(-1)], [
    'searching: up to 4 trials, 2 at a time, objective val_loss (min); 1 finished before (resumed)',
    'search stopped: 1/4 trials, 0:00 elapsed, ETA -, best val_loss 0.5 (trial_000); time limit reached',
  ]);
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 160, rows: 40 });
  let out = '';
  stream.on('data', (d: Buffer) => (out += d.toString()));
  events(barReporter(stream as unknown as NodeJS.WritableStream, new SearchState(() => 0)));
  const plain = out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split(/[\r\n]+/);
  for (const line of [lines[0], lines.at(-1)]) assert.ok(plain.includes(line!), `bars lack "${line}":\n${plain.join('\n')}`);
});
