/** Keras's plateau logic, shared by early stopping and learning-rate reduction. */
import type { Objective } from '../../spec/objective';
import { inferDirection } from '../../spec/defaults';
import type { EpochLogs } from '../trial';

export class Plateau {
  private best?: number;
  waited = 0;
  constructor(readonly monitor: string, private readonly direction: 'min' | 'max', private readonly minDelta = 0) {}
  /** Records an epoch; true when it improved on the best by more than minDelta. */
  update(logs: EpochLogs): boolean {
    const v = logs[this.monitor];
    if (v !== undefined && (this.best === undefined || improvement(v, this.best, this.direction) > this.minDelta)) {
      this.best = v;
      this.waited = 0;
      return true;
    }
    this.waited++;
    return false;
  }
}

/**
 * A plateau on `monitor` (the objective when left out): the objective's metric goes the objective's
 * way, any other metric the way its name says.
 */
export function plateauOn(monitor: string | undefined, objective: Objective, minDelta?: number): Plateau {
  const metric = monitor ?? objective.metric;
  return new Plateau(metric, metric === objective.metric ? objective.direction : inferDirection(metric), minDelta);
}

const improvement = (value: number, reference: number, direction: 'min' | 'max') => (direction === 'min' ? reference - value : value - reference);
