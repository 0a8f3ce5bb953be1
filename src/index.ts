/**
 * automm as a library: the same pieces the CLI uses, for scripts and notebooks.
 *
 *   const spec = loadSpec('spec.yaml');
 *   await initEngine('auto');
 *   registerCustomLayers();
 *   const data = await prepareData(spec);
 *   const board = await runSearch(spec, data, inProcessExecutor(spec, data, 'runs/x', 'wasm'), { project: 'runs/x' });
 */
export { loadSpec, loadSpecText } from './spec/validate';
export { SpecError, type Problem } from './spec/errors';
export type { Spec } from './spec/types';
export { initEngine, type BackendChoice } from './engine/backend';
export { registerCustomLayers, BLOCKS } from './blocks/registry';
export { HEADS } from './heads/registry';
export { prepareData } from './data/prepare';
export { DataError } from './data/errors';
export { loadPredictor } from './export/predictor';
export { runSearch, type Reporter } from './search/run';
export { inProcessExecutor, poolExecutor } from './search/executors';
export { exportBest } from './export/export';
export { summarize, formatSummary } from './export/summary';
export { loadModelDir } from './export/artifacts';
export { packageVersion } from './util/package-info';
