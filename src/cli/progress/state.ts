/**
 * What every progress display shows, kept in one place: trials done against the budget, elapsed
 * time, an estimate of the time left, and the best score so far.
 */
import type { Leaderboard } from '../../search/project';
import type { SearchStartInfo } from '../../search/types';
import { isBetter, Trial } from '../../search/trial';
import { formatDuration, formatScore, formatValue } from '../../util/format';

export const INTERRUPT_NOTICE = 'interrupted: stopping after the epochs in flight (Ctrl-C again to quit now); resume with --resume';

/** Hyperparameters shown beside a running trial: enough to tell trials apart on one line. */
const KEY_VALUES = 3;

export class SearchState {
  total = 0;
  workers = 1;
  objective: SearchStartInfo['objective'] = { metric: 'val_loss', direction: 'min' };
  timeLimitMs?: number;
  done = 0;
  /** Trials finished in this run (not carried over by --resume): the rate comes from these. */
  private doneHere = 0;
  best?: { id: string; score: number };
  interrupted = false;
  /** Each hyperparameter's values seen so far, to show first those that vary. */
  private readonly seen = new Map<string, Set<string>>();

  constructor(readonly now: () => number = Date.now, public started = now()) {}

  start(info: SearchStartInfo): void {
    Object.assign(this, { total: info.total, workers: info.workers, objective: info.objective });
    this.timeLimitMs = info.timeLimit !== undefined ? info.timeLimit * 1000 : undefined;
    this.started = this.now();
    for (const t of info.done) this.record(t, false);
  }

  /** Counts a finished trial (an interrupted one, status running, is not finished). */
  record(t: Trial, here = true): void {
    if (t.status === 'running') return;
    this.done++;
    if (here) this.doneHere++;
    if ((t.status === 'completed' || t.status === 'stopped') && t.score !== undefined && isBetter(t.score, this.best?.score, this.objective.direction)) {
      this.best = { id: t.id, score: t.score };
    }
  }

  /** Records a started trial's values; returns the names that have taken more than one value so far. */
  noteValues(t: Pick<Trial, 'values'>): Set<string> {
    for (const [k, v] of Object.entries(t.values)) this.seen.set(k, (this.seen.get(k) ?? new Set()).add(JSON.stringify(v)));
    return new Set([...this.seen].filter(([, vs]) => vs.size > 1).map(([k]) => k));
  }

  elapsedMs(): number {
    return this.now() - this.started;
  }

  /** The nearer of the time limit and the pace so far; undefined before anything can be said. */
  etaMs(): number | undefined {
    const elapsed = this.elapsedMs();
    const byLimit = this.timeLimitMs !== undefined ? Math.max(0, this.timeLimitMs - elapsed) : undefined;
    const byRate = this.doneHere > 0 ? (elapsed / this.doneHere) * Math.max(0, this.total - this.done) : undefined;
    if (byLimit === undefined) return byRate;
    return byRate === undefined ? byLimit : Math.min(byLimit, byRate);
  }

  bestText(): string {
    return this.best ? `best ${this.objective.metric} ${formatScore(this.best.score)} (${this.best.id})` : `best ${this.objective.metric} -`;
  }

  /** "3/5 trials, 1:02 elapsed, ETA 1:40, best val_loss 1.234 (trial_002)". */
  summary(): string {
    const eta = this.etaMs();
    return `${this.done}/${this.total} trials, ${formatDuration(this.elapsedMs())} elapsed, ETA ${eta === undefined ? '-' : formatDuration(eta)}, ${this.bestText()}`;
  }
}

/** The first line of a search, the same on bars and on lines: the budget, the parallelism, the objective. */
export function startLine(info: SearchStartInfo): string {
  const resumed = info.done.length ? `; ${info.done.length} finished before (resumed)` : '';
  return `searching: up to ${info.total} trials, ${info.workers} at a time, objective ${info.objective.metric} (${info.objective.direction})${resumed}`;
}

/** The last line of a search: how it ended, the summary, and why it stopped early. */
export function finishLine(board: Pick<Leaderboard, 'status' | 'stopReason'>, state: SearchState): string {
  return `search ${board.status}: ${state.summary()}${board.stopReason ? `; ${board.stopReason}` : ''}`;
}

/**
 * "conv/filters=16 dense/dropout=0.25": the last two parts of each name, the first few values, those
 * that vary between trials (`varying`) first: they are what tells one trial's bar from another's.
 */
export function keyValues(t: Pick<Trial, 'values'>, count = KEY_VALUES, varying = new Set<string>()): string {
  const entries = Object.entries(t.values).sort(([a], [b]) => Number(varying.has(b)) - Number(varying.has(a)));
  const shown = entries.slice(0, count).map(([k, v]) => `${k.split('/').slice(-2).join('/')}=${formatValue(v)}`);
  return shown.join(' ') + (entries.length > count ? ` +${entries.length - count}` : '');
}

/** Where a trial trains in a distributed search: " on host:pid" (nothing for this process's own workers). */
export const on = (worker: string | undefined) => (worker ? ` on ${worker}` : '');

export const trialLabel = (t: Pick<Trial, 'index' | 'id' | 'worker'>, total: number) => `trial ${t.index + 1}/${total} ${t.id}${on(t.worker)}`;

/** One line for a trial that ended: how it went and what it scored. */
export function trialLine(t: Trial, total: number, metric: string): string {
  const head = trialLabel(t, total);
  if (t.status === 'completed') return `${head} completed: ${metric} ${formatScore(t.score)} at epoch ${(t.bestEpoch ?? 0) + 1}, ${t.params?.toLocaleString('en')} params, ${formatDuration(t.durationMs ?? 0)}`;
  if (t.status === 'running') return `${head} interrupted: ${t.message}`;
  return `${head} ${t.status}: ${t.message}${t.status === 'stopped' && t.score !== undefined ? ` (${metric} ${formatScore(t.score)} at epoch ${(t.bestEpoch ?? 0) + 1})` : ''}`;
}
