/**
 * Progress on a terminal: an overall bar (trials done, elapsed, ETA, best so far) and one bar per
 * trial in flight with its key hyperparameters. A finished trial's bar is removed and its result
 * logged above the bars; an interrupted trial's bar is not filled up, it says so.
 */
import * as cliProgress from 'cli-progress';
import type { Reporter } from '../../search/types';
import { REFIT_INDEX } from '../../search/best';
import { formatDuration, formatScore } from '../../util/format';
import { INTERRUPT_NOTICE, SearchState, finishLine, keyValues, on, startLine, trialLine } from './state';

/** Redraws a second keep elapsed time and ETA moving without costing the trials any CPU. */
const REFRESH_MS = 1000;

interface TrialBar { bar: cliProgress.SingleBar; epochs: number }

export function barReporter(stream: NodeJS.WritableStream, state = new SearchState()): Reporter {
  const multibar = new cliProgress.MultiBar(
    { stream, format: '{label} |{bar}| {progress} {info}', linewrap: true, hideCursor: true, clearOnComplete: false, barsize: 20, autopadding: false, forceRedraw: true, fps: 1000 / REFRESH_MS },
    cliProgress.Presets.shades_classic,
  );
  let overall: cliProgress.SingleBar | undefined;
  const bars = new Map<number, TrialBar>();
  const overallInfo = () => ({ label: state.interrupted ? 'stopping' : 'search  ', progress: `${state.done}/${state.total} trials`, info: overallText(state) });
  const refreshOverall = () => overall?.update(state.done, overallInfo());
  const timer = setInterval(refreshOverall, REFRESH_MS);
  timer.unref();
  const log = (line: string) => multibar.log(line + '\n');
  const open = (index: number, label: string, epochs: number, info: string) =>
    bars.set(index, { bar: multibar.create(epochs, 0, { label, progress: `epoch 0/${epochs}`, info }), epochs });
  const close = (index: number) => {
    const b = bars.get(index);
    if (b) (b.bar.stop(), multibar.remove(b.bar), bars.delete(index));
  };
  return {
    start: (info) => {
      state.start(info);
      log(startLine(info));
      overall = multibar.create(info.total, state.done, overallInfo());
    },
    trialStarted: (t) => open(t.index, `trial ${t.index + 1}/${state.total}`, t.epochs, keyValues(t, undefined, state.noteValues(t))),
    batch: (i, e, b, n, worker) => bars.get(i)?.bar.update(e + b / n, { progress: `epoch ${e + 1}/${bars.get(i)!.epochs} batch ${b + 1}/${n}${on(worker)}` }),
    epoch: (i, e, logs, worker) => bars.get(i)?.bar.update(e + 1, { progress: `epoch ${e + 1}/${bars.get(i)!.epochs} loss ${formatScore(logs.loss)} val ${formatScore(logs.val_loss)}${on(worker)}` }),
    trialEnded: (t) => {
      close(t.index);
      state.record(t);
      log(trialLine(t, state.total, state.objective.metric));
      refreshOverall();
    },
    interrupted: () => {
      state.interrupted = true;
      log(INTERRUPT_NOTICE);
      refreshOverall();
    },
    refitStarted: (r) => open(REFIT_INDEX, 'refit   ', r.epochs, `${r.trial} on training + validation rows`),
    refitEnded: (r) => {
      close(REFIT_INDEX);
      log(`refit of ${r.trial} ${r.status}${r.message ? `: ${r.message}` : ''}`);
    },
    finish: (board) => {
      clearInterval(timer);
      refreshOverall();
      // A render flushes the lines logged since the last one (the refit's result) before the bars stop.
      multibar.update();
      multibar.stop();
      stream.write(finishLine(board, state) + '\n');
    },
  };
}

function overallText(state: SearchState): string {
  const eta = state.etaMs();
  return `${formatDuration(state.elapsedMs())} elapsed, ETA ${eta === undefined ? '-' : formatDuration(eta)}, ${state.bestText()}`;
}
