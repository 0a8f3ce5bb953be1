/** Batch progress from a trial worker, thinned out: the display needs a few updates a second. */

/**
 * Batch progress is posted at most this often, and an epoch's last batch always: a short trial
 * runs hundreds of batches a second, and a message per batch cost the trial ~4% of its time and
 * woke the main thread (which competes with the other workers for the cores) just as often.
 */
export const BATCH_POST_MS = 100;

/** onBatch that posts only when `everyMs` have passed since the last post, or at an epoch's end. */
export function throttledBatches(send: (epoch: number, batch: number, batches: number) => void, everyMs = BATCH_POST_MS, now = () => performance.now()) {
  let last = -Infinity;
  return (epoch: number, batch: number, batches: number) => {
    const t = now();
    if (t - last < everyMs && batch + 1 < batches) return;
    last = t;
    send(epoch, batch, batches);
  };
}
