/** What training one trial is given, what it hands back, and the hooks it calls on the way. */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Plan } from '../../graph/plan';
import type { Resolution } from '../../graph/resolve';
import type { PreparedData } from '../../data/source';
import type { Spec } from '../../spec/types';
import type { EpochLogs } from '../trial';

export interface TrainHooks {
  /** Called after every batch (no tensor is read: cheap on every engine). */
  onBatch?(epoch: number, batch: number, batches: number): void;
  onEpoch?(epoch: number, logs: EpochLogs): void;
  /** Asked before every epoch: true when the user interrupted the search (Ctrl-C). */
  shouldStop?(): boolean;
}

export interface TrainResult {
  /** The best epoch's model, as the export graph (training-only layers left out). */
  model: tfl.LayersModel;
  history: EpochLogs[];
  bestEpoch: number;
  score: number;
  params: number;
}

export interface TrainJob {
  spec: Spec;
  plan: Plan;
  resolution: Resolution;
  data: PreparedData;
  seed: number;
  epochs: number;
  /** Wall-clock end of the search (ms since epoch): no epoch starts that would end after it. */
  deadline?: number;
  /** Refit: train exactly `epochs` and keep the last weights (no early stopping, no best-epoch pick). */
  keepLast?: boolean;
  /** Start from these weights (copied by layer name) instead of fresh ones: fine-tuning after a head's training. */
  initialWeights?: tfl.LayersModel;
}
