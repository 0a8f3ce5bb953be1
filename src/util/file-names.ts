/**
 * Every file name automm writes into a project or a model folder, spelled once: search/project.ts
 * lays a project out with these, and export, summary, report and queue read them back.
 */
export const FILE = {
  spec: 'spec.json',
  leaderboard: 'leaderboard.json',
  preprocessing: 'preprocessing.json',
  trial: 'trial.json',
  model: 'model.json',
  weights: 'weights.bin',
  report: 'report.html',
  analysis: 'analysis.json',
  /** Distributed searches: the search's id on the queue, kept for --resume. */
  queue: 'queue.json',
  /** An export's example web page. */
  examplePage: 'index.html',
} as const;

/** Folders of a project. */
export const DIR = {
  trials: 'trials',
  model: 'model',
  best: 'best',
  tensorboard: 'tensorboard',
  features: 'features',
} as const;
