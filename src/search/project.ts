/** The layout of a project directory (runs/<name>/) and the files that describe it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson, writeJsonAtomic } from '../util/atomic';
import { DIR, FILE } from '../util/file-names';
import type { Trial } from './trial';

export const paths = (project: string) => ({
  /** Distributed searches: the search's id on the queue (queue/chief.ts). */
  queue: path.join(project, FILE.queue),
  spec: path.join(project, FILE.spec),
  leaderboard: path.join(project, FILE.leaderboard),
  preprocessing: path.join(project, FILE.preprocessing),
  trials: path.join(project, DIR.trials),
  trial: (id: string) => path.join(project, DIR.trials, id),
  trialJson: (id: string) => path.join(project, DIR.trials, id, FILE.trial),
  trialModel: (id: string) => path.join(project, DIR.trials, id, DIR.model),
  best: path.join(project, DIR.best),
  tensorboard: path.join(project, DIR.tensorboard),
  report: path.join(project, FILE.report),
  /** data.test scored in detail (confusion matrices, ROC, predictions) and the training data's profile. */
  analysis: path.join(project, FILE.analysis),
  /** Features of frozen pretrained backbones, computed once per image (see pretrained/features.ts). */
  features: path.join(project, DIR.features),
});

export class ProjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectError';
  }
}

export interface Leaderboard {
  name: string;
  objective: { metric: string; direction: 'min' | 'max' };
  backend: string;
  status: 'running' | 'finished' | 'stopped';
  stopReason?: string;
  best?: string;
  /** data.test scored once on the final best model. */
  test?: Record<string, number>;
  trials: Array<Pick<Trial, 'id' | 'index' | 'status' | 'score' | 'bestEpoch' | 'epochs' | 'params' | 'durationMs' | 'message' | 'values'> & { validation: Record<string, number> }>;
}

export function writeTrial(project: string, trial: Trial): void {
  writeJsonAtomic(paths(project).trialJson(trial.id), trial);
}

export function readLeaderboard(project: string): Leaderboard {
  const file = paths(project).leaderboard;
  if (!fs.existsSync(file)) throw new ProjectError(`${project}: no leaderboard.json here; run \`automm search spec.yaml\` first, or point --project at a search's directory`);
  return readJson<Leaderboard>(file);
}

/** Validation metrics of the best epoch, for the leaderboard's columns. */
export function bestEpochValidation(trial: Trial): Record<string, number> {
  if (trial.bestEpoch === undefined) return {};
  const logs = trial.history[trial.bestEpoch] ?? {};
  return Object.fromEntries(Object.entries(logs).filter(([k]) => k.startsWith('val_')));
}
