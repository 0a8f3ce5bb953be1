import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { BATCH_POST_MS, throttledBatches } from './batch-progress';

test('batch progress is sent at most every BATCH_POST_MS, and always at the end of an epoch', () => {
  let clock = 0;
  const sent: string[] = [];
  const onBatch = throttledBatches((e, b, n) => sent.push(`${e}:${b}/${n}`), BATCH_POST_MS, () => clock);
  for (let b = 0; b < 10; b++) {
    onBatch(0, b, 10);
    clock += BATCH_POST_MS / 4;
  }
  // t=0 (first), t=100 (5th batch... index 4), t=200 (index 8), then the epoch's last batch.
  assert.deepEqual(sent, ['0:0/10', '0:4/10', '0:8/10', '0:9/10']);
  onBatch(1, 0, 10);
  assert.equal(sent.at(-1), '0:9/10', 'the next epoch\'s first batch came too soon after the last post');
  clock += BATCH_POST_MS;
  onBatch(1, 1, 10);
  assert.equal(sent.at(-1), '1:1/10');
});
