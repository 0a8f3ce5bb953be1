/**
 * automm as a library. Two calls need no setup:
 *
 *   const board = await search('spec.yaml', { maxTrials: 3, onEvent: (e) => console.log(e.type) });
 *   const predictor = await loadPredictor('runs/<name>/best');
 *
 * The rest are the pieces the CLI is made of, for scripts that need one step on its own.
 */
export { search, loadPredictor, type Spec, type SearchOptions, type SearchEvent } from './api';
export type { Leaderboard } from './search/project';
export type { Predictor, ClassPrediction, Prediction, ValuePrediction } from './export/predictor';
export { loadSpec, loadSpecText } from './spec/validate';
export { SpecError, type Problem } from './spec/errors';
export type { Spec as ResolvedSpec } from './spec/types';
export { initEngine, type BackendChoice } from './engine/backend';
export { registerCustomLayers, BLOCKS } from './blocks/registry';
export { HEADS } from './heads/registry';
export { prepareData } from './data/prepare';
export { DataError } from './data/errors';
export { runSearch } from './search/run';
export type { Reporter } from './search/types';
export { inProcessExecutor, poolExecutor } from './search/executors';
export { exportBest } from './export/export';
export { summarize, formatSummary } from './export/summary';
export { loadModelDir } from './export/artifacts';
export { packageVersion } from './util/package-info';
