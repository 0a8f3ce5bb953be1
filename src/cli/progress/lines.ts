/** Progress for logs and pipes: one line per event that matters, with the same facts as the bars. */
import type { Reporter } from '../../search/types';
import { REFIT_INDEX } from '../../search/best';
import { formatScore } from '../../util/format';
import { INTERRUPT_NOTICE, SearchState, finishLine, keyValues, on, startLine, trialLabel, trialLine } from './state';

export function lineReporter(write: (line: string) => void, state = new SearchState()): Reporter {
  const labels = new Map<number, string>();
  let refitEpochs = 0;
  return {
    start: (info) => {
      state.start(info);
      write(startLine(info));
    },
    trialStarted: (t) => {
      labels.set(t.index, `trial ${t.index + 1}/${state.total}`);
      write(`${trialLabel(t, state.total)} started: ${keyValues(t, Infinity) || 'default values'}`);
    },
    epoch: (i, e, logs, worker) => {
      const who = i === REFIT_INDEX ? `refit${on(worker)} epoch ${e + 1}/${refitEpochs}` : `${labels.get(i) ?? `trial ${i + 1}`}${on(worker)} epoch ${e + 1}`;
      write(`  ${who}: loss ${formatScore(logs.loss)}${logs.val_loss !== undefined ? ` val_loss ${formatScore(logs.val_loss)}` : ''}`);
    },
    trialEnded: (t) => {
      state.record(t);
      write(trialLine(t, state.total, state.objective.metric));
      write(`  ${state.summary()}`);
    },
    interrupted: () => {
      state.interrupted = true;
      write(INTERRUPT_NOTICE);
    },
    refitStarted: (r) => {
      refitEpochs = r.epochs;
      write(`refit: ${r.trial} retrained on training + validation rows for ${r.epochs} epoch(s)`);
    },
    refitEnded: (r) => write(`refit ${r.status}${r.message ? `: ${r.message}` : ''}`),
    finish: (board) => write(finishLine(board, state)),
  };
}
