/**
 * Where a process's CPU time goes, by thread, read from Linux's /proc/<pid>/task/<tid>/stat while
 * it runs: its main thread, its busiest N other threads (the trial workers) and the rest (V8's
 * compiler and garbage-collector helpers, libuv's pool). What the bench uses to show why a second
 * worker does not double the trials per hour. Undefined where there is no /proc.
 */
import * as fs from 'node:fs';

export interface ThreadCpu { mainSeconds: number; trialSeconds: number; otherSeconds: number }

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on Linux). */
const TICKS = 100;

export function sampleThreadCpu(pid: number, everyMs = 100): { stop(trialThreads: number): ThreadCpu | undefined } {
  const seen = new Map<number, number>();
  const sample = () => {
    let tids: string[];
    try {
      tids = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      return;
    }
    for (const tid of tids) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        seen.set(Number(tid), Math.max(seen.get(Number(tid)) ?? 0, (Number(fields[11]) + Number(fields[12])) / TICKS));
      } catch {
        // The thread ended between the listing and the read: its last sample stands.
      }
    }
  };
  const timer = setInterval(sample, everyMs);
  sample();
  return {
    stop(trialThreads) {
      clearInterval(timer);
      if (seen.size === 0) return undefined;
      const main = seen.get(pid) ?? 0;
      const others = [...seen].filter(([tid]) => tid !== pid).map(([, s]) => s).sort((a, b) => b - a);
      const trial = others.slice(0, trialThreads).reduce((a, b) => a + b, 0);
      const rest = others.slice(trialThreads).reduce((a, b) => a + b, 0);
      return { mainSeconds: main, trialSeconds: trial, otherSeconds: rest };
    },
  };
}
