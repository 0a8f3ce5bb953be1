/**
 * How a trial can end other than by finishing (keras-tuner's tiers): a failure is recorded and the
 * search goes on; an interruption, a time stop and a skip each leave the trial in their own state.
 */
import type { TrainResult } from './job';

/** The trial failed (a non-finite loss, an objective never logged): recorded, the search goes on. */
export class TrialFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrialFailure';
  }
}

/** Interrupted by the user: the trial is left to be retrained by --resume. */
export class TrialInterrupted extends Error {
  constructor() {
    super('interrupted before it finished; --resume retrains it');
    this.name = 'TrialInterrupted';
  }
}

/** The trial ran out of search time at an epoch boundary; it keeps its best epoch so far. */
export class TrialStopped extends Error {
  constructor(message: string, readonly partial?: TrainResult) {
    super(message);
    this.name = 'TrialStopped';
  }
}

/** The model is larger than search.max_model_size: not trained at all. */
export class TrialSkipped extends Error {
  constructor(message: string, readonly params: number) {
    super(message);
    this.name = 'TrialSkipped';
  }
}
