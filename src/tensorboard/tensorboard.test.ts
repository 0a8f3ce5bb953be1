/**
 * Event files read back by a decoder written here from the specifications (TFRecord framing,
 * CRC-32C, protobuf wire format), sharing no code with the writer: framing, CRCs, tags and values.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32c, maskedCrc32c } from './crc32c';
import { EventWriter } from './events';
import { EXPERIMENT_TAG, SESSION_END_TAG, SESSION_START_TAG, tensorboardReporter } from './logs';
import type { Trial } from '../search/trial';
import { eventsIn, fields, mask, msg, one, referenceCrc, str } from './testing';

test('CRC-32C matches the standard check value and the bitwise reference', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) & 255));
  assert.equal(crc32c(bytes), referenceCrc(bytes));
  assert.equal(maskedCrc32c(bytes), mask(referenceCrc(bytes)));
});

test('scalars are framed records with the version first, then tag, step and value', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'automm-tb-'));
  const w = new EventWriter(dir, () => 1_700_000_000_500);
  w.scalar('epoch_loss', 0.25, 3);
  w.scalar('epoch_label_accuracy', 0.75, 4);
  const events = eventsIn(dir);
  assert.equal(events[0].fileVersion, 'brain.Event:2');
  assert.equal(events[0].wallTime, 1_700_000_000.5);
  assert.deepEqual(events.slice(1).map((e) => [e.step, e.values[0].tag, e.values[0].simple, e.values[0].plugin]), [
    [3, 'epoch_loss', 0.25, 'scalars'],
    [4, 'epoch_label_accuracy', 0.75, 'scalars'],
  ]);
});

test('a search writes train and validation scalars per trial, HParams sessions, and the experiment', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'automm-tb-'));
  const r = tensorboardReporter(dir);
  const trial = (index: number, values: Trial['values'], status: Trial['status']): Trial => ({ id: `trial_00${index}`, index, values, space: {}, seed: 1, epochs: 2, status, history: [], score: 1 - index / 10 });
  r.start!({ total: 2, workers: 1, objective: { metric: 'val_loss', direction: 'min' }, done: [] });
  r.trialStarted!(trial(0, { 'dense/units': 32, optimizer: 'adam' }, 'running'));
  r.epoch!(0, 0, { loss: 2, val_loss: 1.5, label_accuracy: 0.5, val_label_accuracy: 0.25 });
  r.epoch!(0, 1, { loss: 1, val_loss: 1.25, label_accuracy: 0.75, val_label_accuracy: 0.5 });
  r.trialEnded!(trial(0, { 'dense/units': 32, optimizer: 'adam' }, 'completed'));
  r.trialStarted!(trial(1, { 'dense/units': 64, optimizer: 'sgd' }, 'running'));
  r.trialEnded!(trial(1, { 'dense/units': 64, optimizer: 'sgd' }, 'failed'));
  r.finish!({ name: 't', objective: { metric: 'val_loss', direction: 'min' }, backend: 'cpu', status: 'finished', trials: [] });

  const validation = eventsIn(path.join(dir, 'trial_000', 'validation')).slice(1);
  assert.deepEqual(validation.map((e) => [e.step, e.values[0].tag, e.values[0].simple]), [
    [0, 'epoch_loss', 1.5], [0, 'epoch_label_accuracy', 0.25], [1, 'epoch_loss', 1.25], [1, 'epoch_label_accuracy', 0.5],
  ]);
  const train = eventsIn(path.join(dir, 'trial_000', 'train')).slice(1);
  assert.deepEqual(train.filter((e) => e.values[0].tag === 'epoch_loss').map((e) => e.values[0].simple), [2, 1]);

  const session = eventsIn(path.join(dir, 'trial_000')).slice(1);
  assert.deepEqual(session.map((e) => [e.values[0].tag, e.values[0].plugin]), [[SESSION_START_TAG, 'hparams'], [SESSION_END_TAG, 'hparams']]);
  // HParamsPluginData.session_start_info (3) .hparams (1): map entries of key (1) and google.protobuf.Value (2).
  const start = msg(fields(session[0].values[0].content!), 3);
  const hparams = Object.fromEntries((start.get(1) ?? []).map((f) => {
    const entry = fields(f.value as Buffer);
    const value = msg(entry, 2);
    return [str(entry, 1), value.has(2) ? (one(value, 2) as Buffer).readDoubleLE(0) : str(value, 3)];
  }));
  assert.deepEqual(hparams, { 'dense/units': 32, optimizer: 'adam' });
  const end = (n: number) => Number(one(msg(fields(eventsIn(path.join(dir, `trial_00${n}`))[2].values[0].content!), 4), 1));
  assert.equal(end(0), 1, 'STATUS_SUCCESS');
  assert.equal(end(1), 2, 'STATUS_FAILURE');

  const [experimentEvent] = eventsIn(dir).slice(1);
  assert.equal(experimentEvent.values[0].tag, EXPERIMENT_TAG);
  const experiment = msg(fields(experimentEvent.values[0].content!), 2);
  const hparamNames = (experiment.get(4) ?? []).map((f) => str(fields(f.value as Buffer), 1));
  assert.deepEqual(hparamNames, ['dense/units', 'optimizer']);
  const metrics = (experiment.get(5) ?? []).map((f) => {
    const name = msg(fields(f.value as Buffer), 1);
    return `${str(name, 1)}/${str(name, 2)}`;
  });
  assert.deepEqual(metrics, ['train/epoch_label_accuracy', 'train/epoch_loss', 'validation/epoch_label_accuracy', 'validation/epoch_loss']);
});

test('a writer keeps one file open: each epoch is in the file once written, and a run closes its files when it ends', { skip: !fs.existsSync('/proc/self/fd') && 'needs /proc/self/fd' }, () => {
  const openFiles = () => fs.readdirSync('/proc/self/fd').length;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'automm-tb-'));
  const r = tensorboardReporter(dir);
  const trial = (status: Trial['status']): Trial => ({ id: 'trial_000', index: 0, values: { units: 8 }, space: {}, seed: 1, epochs: 2, status, history: [], score: 1 });
  const before = openFiles();
  r.start!({ total: 1, workers: 1, objective: { metric: 'val_loss', direction: 'min' }, done: [] });
  r.trialStarted!(trial('running'));
  for (const epoch of [0, 1]) {
    r.epoch!(0, epoch, { loss: 2 - epoch, val_loss: 3 - epoch });
    // What a crash right now would leave: every epoch so far, whole.
    assert.deepEqual(eventsIn(path.join(dir, 'trial_000', 'validation')).slice(1).map((e) => [e.step, e.values[0].simple]), Array.from({ length: epoch + 1 }, (_, i) => [i, 3 - i]));
  }
  assert.equal(openFiles(), before + 3, 'session, train and validation: one descriptor each, kept');
  r.trialEnded!(trial('completed'));
  assert.equal(openFiles(), before, 'closed when the trial ends');
  r.trialStarted!({ ...trial('running'), id: 'trial_001', index: 1 });
  r.finish!({ name: 't', objective: { metric: 'val_loss', direction: 'min' }, backend: 'cpu', status: 'stopped', trials: [] });
  assert.equal(openFiles(), before, 'a run still open is closed with the search, the experiment file too');
  assert.equal(eventsIn(path.join(dir, 'trial_001')).length, 2, 'its session start kept');
});
