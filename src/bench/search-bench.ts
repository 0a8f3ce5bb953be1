/**
 * Bench sections on automm's own pipeline: a training step of the multi-modal spec's default
 * model, and trials per hour of a small fixed search with one worker and with every core.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { loadSpec } from '../spec/validate';
import { synthesize } from '../data/synth';
import { planGraph } from '../graph/plan';
import { resolveTrial } from '../graph/resolve';
import { buildModel } from '../graph/build';
import { defaultValue } from '../spec/space';
import { compileModel } from '../search/training/compile';
import { disposeModel } from '../search/training/dispose';
import { registerCustomLayers } from '../blocks/registry';
import { BenchSection, StepTiming, benchStep } from './harness';
import { packageRoot } from '../util/package-info';

const ROOT = packageRoot();
export const MULTIMODAL = path.join(ROOT, 'specs', 'shop-advanced.yaml');

/** One Adam step of the advanced shop graph (normalisation, augmentation, conv + resnet, dense, two heads). */
export function multimodalSpec(): BenchSection {
  return {
    name: 'multi-modal spec',
    async run(backend) {
      // A conv + resnet step takes minutes on the pure-JS engine: its ratio comes from the reference models.
      if (backend === 'cpu') return [];
      registerCustomLayers();
      const spec = loadSpec(MULTIMODAL);
      const data = synthesize(spec, 64);
      const plan = planGraph(spec);
      const resolution = resolveTrial(spec, plan, (_, def) => defaultValue(def));
      const model = buildModel(plan, resolution, data);
      compileModel({ spec, plan, resolution, data, seed: 0, epochs: 1 }, model);
      const batch = await data.train.batch(Array.from({ length: spec.search.batch_size }, (_, i) => i));
      try {
        const step = () => model.trainOnBatch(model.inputNames.map((n) => batch.xs[n]), model.outputNames.map((n) => batch.ys[n]));
        return [await benchStep(`multi-modal spec (${path.basename(MULTIMODAL)}), batch ${spec.search.batch_size}`, step, { batchSize: spec.search.batch_size, warmup: 2, steps: 8 })];
      } finally {
        tf.dispose([...Object.values(batch.xs), ...Object.values(batch.ys)]);
        disposeModel(model);
      }
    },
  };
}

export const TRIALS = 6;
export const SEARCH_EPOCHS = 3;
/** Each layout runs this many times, interleaved, and keeps its median: the host's load drifts. */
const ROUNDS = 3;

export interface SearchRate {
  backend: string;
  workers: number;
  /** Engine threads per worker. */
  threads: number;
  trials: number;
  /** Median wall time of the rounds, CLI start-up included. */
  seconds: number;
  trialsPerHour: number;
}

/**
 * The multi-modal search, 6 trials of 3 epochs, through the real CLI (engine start-up included):
 * trials of a few seconds each, so worker start-up does not hide what parallel trials buy. On
 * wasm: 1 worker x 1 thread (the baseline), N workers x 1 thread, and 1 worker x N threads.
 */
export function trialsPerHour(backend: string): SearchRate[] {
  const cores = os.availableParallelism();
  const layouts = backend === 'wasm' && cores > 1 ? [[1, 1], [cores, 1], [1, cores]] : [[1, 1]];
  const seconds = layouts.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    layouts.forEach(([workers, threads], i) => seconds[i].push(timeSearch(backend, workers, threads)));
  }
  return layouts.map(([workers, threads], i) => {
    const median = seconds[i].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
    return { backend, workers, threads, trials: TRIALS, seconds: median, trialsPerHour: (TRIALS * 3600) / median };
  });
}

function timeSearch(backend: string, workers: number, threads: number): number {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'automm-bench-'));
  const started = process.hrtime.bigint();
  const args = [path.join(__dirname, '..', 'cli', 'main.js'), 'search', MULTIMODAL, '--max-trials', String(TRIALS), '--epochs', String(SEARCH_EPOCHS),
    '--workers', String(workers), '--threads', String(threads), '--backend', backend, '--out', out, '--no-refit'];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  fs.rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`bench search failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export type { StepTiming };
