/** A model trained on random data has no columns: predict, evaluate and serve refuse its rows alike. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DataError } from './errors';
import { labelledSplit, rowEncoder } from './rows';
import { rawRowEncoder } from './raw-rows';
import type { Preprocessing } from './source';

test('rows for a model trained on random data: one DataError, one message, wherever they are read', async () => {
  const random = { source: 'random', inputs: { x: { name: 'x', type: 'structured', shape: [3] } }, heads: {} } as unknown as Preprocessing;
  const refusals = [
    () => rowEncoder(random),
    () => labelledSplit(random, {} as never),
    () => rawRowEncoder(random, async () => new Uint8Array(0)),
  ];
  for (const read of refusals) {
    await assert.rejects(async () => read(), (e: unknown) => e instanceof DataError && e.message === 'this model was trained on random data, so it has no columns to read rows with; only `automm predict --data random` runs it');
  }
});
