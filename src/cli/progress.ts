/** Progress for people (bars on a terminal) and for CI logs (one line per epoch and per trial). */
import * as cliProgress from 'cli-progress';
import type { Reporter } from '../search/run';
import type { Trial } from '../search/trial';

/** Where a trial trains, for distributed searches: " on host:pid". */
const on = (worker: string | undefined) => (worker ? ` on ${worker}` : '');

const fmt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4));

export function trialLine(t: Trial, total: number): string {
  const head = `trial ${t.index + 1}/${total} ${t.id}${on(t.worker)}`;
  if (t.status === 'completed') return `${head} completed: objective ${fmt(t.score)} at epoch ${(t.bestEpoch ?? 0) + 1}, ${t.params} params, ${((t.durationMs ?? 0) / 1000).toFixed(1)}s`;
  return `${head} ${t.status}: ${t.message}`;
}

export function makeReporter(stream: NodeJS.WriteStream, epochs: number): Reporter {
  return stream.isTTY ? barReporter(stream, epochs) : lineReporter(stream);
}

function lineReporter(stream: NodeJS.WriteStream): Reporter {
  let total = 0;
  return {
    start: (info) => { total = info.total; stream.write(`searching: up to ${info.total} trials, ${info.workers} at a time\n`); },
    epoch: (i, e, logs, worker) => stream.write(`  trial ${i + 1}${on(worker)} epoch ${e + 1}: loss ${fmt(logs.loss)} val_loss ${fmt(logs.val_loss)}\n`),
    trialEnded: (t) => stream.write(trialLine(t, total) + '\n'),
  };
}

function barReporter(stream: NodeJS.WriteStream, epochs: number): Reporter {
  const multibar = new cliProgress.MultiBar(
    { stream, format: ' {trial} |{bar}| epoch {epoch}/{epochs} batch {batch} loss {loss} val_loss {val}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<number, cliProgress.SingleBar>();
  let total = 0;
  return {
    start: (info) => { total = info.total; },
    trialStarted: (t) => bars.set(t.index, multibar.create(epochs, 0, { trial: `trial ${t.index + 1}/${total}`, epoch: 0, epochs, batch: '-', loss: '-', val: '-' })),
    batch: (i, e, b, n, worker) => bars.get(i)?.update(e, { epoch: e + 1, batch: `${b + 1}/${n}`, trial: `trial ${i + 1}/${total}${on(worker)}` }),
    epoch: (i, e, logs, worker) => bars.get(i)?.update(e + 1, { epoch: e + 1, loss: fmt(logs.loss), val: fmt(logs.val_loss), trial: `trial ${i + 1}/${total}${on(worker)}` }),
    trialEnded: (t) => {
      const bar = bars.get(t.index);
      bar?.update(epochs, {});
      bar?.stop();
      multibar.log(trialLine(t, total) + '\n');
    },
    finish: () => multibar.stop(),
  };
}
