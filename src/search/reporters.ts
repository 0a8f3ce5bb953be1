/** Several progress listeners as one (the display, TensorBoard logs): each gets every event. */
import type { Reporter } from './types';

export function combineReporters(...reporters: Reporter[]): Reporter {
  const all = <K extends keyof Reporter>(key: K) =>
    ((...args: unknown[]) => reporters.forEach((r) => (r[key] as ((...a: unknown[]) => void) | undefined)?.(...args))) as NonNullable<Reporter[K]>;
  return {
    start: all('start'), trialStarted: all('trialStarted'), batch: all('batch'), epoch: all('epoch'), trialEnded: all('trialEnded'),
    interrupted: all('interrupted'), refitStarted: all('refitStarted'), refitEnded: all('refitEnded'), finish: all('finish'),
  };
}
