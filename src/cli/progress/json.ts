/**
 * Machine-readable progress (--json): one JSON object a line, each with `event` and `time` (ISO).
 * Consumers should ignore fields they do not know: events gain fields (worker host, pid) over time.
 */
import type { Reporter } from '../../search/types';
import { REFIT_INDEX } from '../../search/best';
import { SearchState } from './state';

export type ProgressEvent = { event: string; time: string } & Record<string, unknown>;

export function jsonReporter(write: (line: string) => void, state = new SearchState()): Reporter {
  const emit = (event: string, fields: Record<string, unknown> = {}) => write(JSON.stringify({ event, time: new Date(state.now()).toISOString(), ...fields } satisfies ProgressEvent));
  const progress = () => ({ done: state.done, total: state.total, elapsed_s: state.elapsedMs() / 1000, eta_s: etaSeconds(state), best: state.best ?? null });
  return {
    start: (info) => {
      state.start(info);
      emit('start', { total: info.total, workers: info.workers, objective: info.objective, time_limit_s: info.timeLimit ?? null, resumed: info.done.length });
    },
    trialStarted: (t) => emit('trial_started', { trial: t.id, index: t.index, epochs: t.epochs, values: t.values }),
    epoch: (i, e, logs, worker) => emit('epoch', { ...(i === REFIT_INDEX ? { refit: true } : { index: i }), epoch: e + 1, logs, ...(worker ? { worker } : {}) }),
    trialEnded: (t) => {
      state.record(t);
      emit('trial_ended', { trial: t.id, index: t.index, ...(t.worker ? { worker: t.worker } : {}), status: t.status, score: t.score ?? null, best_epoch: t.bestEpoch !== undefined ? t.bestEpoch + 1 : null, params: t.params ?? null, duration_s: (t.durationMs ?? 0) / 1000, message: t.message ?? null, ...progress() });
    },
    interrupted: () => emit('interrupted', progress()),
    refitStarted: (r) => emit('refit_started', r),
    refitEnded: (r) => emit('refit_ended', { trial: r.trial, epochs: r.epochs, status: r.status, logs: r.logs ?? null, message: r.message ?? null }),
    // peak_rss_mb: the process's peak memory (workers included), for pipelines that size machines.
    finish: (board) => emit('finish', { ...progress(), status: board.status, stop_reason: board.stopReason ?? null, test: board.test ?? null, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }),
  };
}

function etaSeconds(state: SearchState): number | null {
  const eta = state.etaMs();
  return eta === undefined ? null : eta / 1000;
}
