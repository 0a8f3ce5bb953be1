/**
 * Bench sections on automm's own pipeline: a training step of the multi-modal spec's default
 * model, and trials per hour of a short-trial and a long-trial search with one worker and with
 * every core.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { spawn } from 'node:child_process';
import { ThreadCpu, sampleThreadCpu } from './thread-cpu';
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

/** A search the bench times: a spec whose trials all cost the same (only non-structural values vary). */
export interface SearchKind {
  name: 'short' | 'long' | 'table';
  /** The spec's path (written first when it reads generated data). */
  spec(): string;
  /** Each layout runs this many times, interleaved, and keeps its median: the host's load drifts. */
  rounds: number;
}

export const SEARCH_KINDS: readonly SearchKind[] = [
  { name: 'short', spec: () => path.join(ROOT, 'specs', 'bench-short-trials.yaml'), rounds: 3 },
  { name: 'long', spec: () => path.join(ROOT, 'specs', 'bench-long-trials.yaml'), rounds: 1 },
  { name: 'table', spec: writeTableSearch, rounds: 1 },
];

const TABLE_ROWS = 60_000;
const TABLE_COLUMNS = 30;

/**
 * A 60,000-row CSV of 30 numeric columns and a 3-class label, with a spec of short trials over it:
 * where preparing the data is a real part of starting a search, and of each worker's memory.
 */
function writeTableSearch(): string {
  const dir = path.join(os.tmpdir(), 'automm-bench-table');
  const spec = path.join(dir, 'table.yaml');
  fs.mkdirSync(dir, { recursive: true });
  const columns = Array.from({ length: TABLE_COLUMNS }, (_, c) => `x${c}`);
  const lines = [[...columns, 'label'].join(',')];
  let state = 12345;
  const uniform = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let r = 0; r < TABLE_ROWS; r++) {
    const xs = columns.map(() => uniform() * 10 - 5);
    const label = ['a', 'b', 'c'][Math.floor(Math.abs(xs[0] + xs[1] - xs[2]) % 3)];
    lines.push([...xs.map((x) => x.toFixed(4)), label].join(','));
  }
  fs.writeFileSync(path.join(dir, 'table.csv'), lines.join('\n') + '\n');
  fs.writeFileSync(spec, [
    'name: bench-table', 'seed: 11', 'data: {source: table.csv, validation_split: 0.2}',
    `inputs: {x: {type: structured, columns: [${columns.join(', ')}]}}`,
    'blocks: {dense: {type: dense, input: x, num_layers: 2, num_units: 64, use_batchnorm: false, dropout: {float: [0.0, 0.5]}}}',
    'heads: {label: {type: classification, input: dense, column: label}}',
    'search: {max_trials: 4, tuner: random, epochs: 1, batch_size: 64, learning_rate: {float: [0.0005, 0.005], log: true}}', '',
  ].join('\n'));
  return spec;
}

export interface SearchRate {
  search: SearchKind['name'];
  backend: string;
  workers: number;
  /** Engine threads per worker. */
  threads: number;
  trials: number;
  /** Median wall time of the rounds, CLI start-up and the end-of-search report included. */
  seconds: number;
  trialsPerHour: number;
  /** From the CLI's start to its first finished epoch (the round with the median wall time). */
  firstEpochSeconds: number;
  /** The process's peak resident memory: engine, workers and data together. */
  peakMB: number;
  /** CPU seconds of the main thread, the trial workers' threads and every other thread (Linux). */
  cpu?: ThreadCpu;
}

/**
 * Trials per hour of each search kind through the real CLI, with 1 worker and with one per core
 * (1 engine thread each). Workers and threads are what the CLI would pick; the layouts alternate
 * within each round so both see the same drift in the host's load.
 */
export async function trialsPerHour(backend: string, kinds: readonly SearchKind[] = SEARCH_KINDS): Promise<SearchRate[]> {
  const cores = os.availableParallelism();
  const layouts = backend === 'wasm' && cores > 1 ? [1, cores] : [1];
  const rates: SearchRate[] = [];
  for (const kind of kinds) {
    const runs = layouts.map(() => [] as TimedSearch[]);
    const spec = kind.spec();
    for (let round = 0; round < kind.rounds; round++) for (const [i, workers] of layouts.entries()) runs[i].push(await timeSearch(spec, backend, workers));
    for (const [i, workers] of layouts.entries()) {
      const median = runs[i].sort((a, b) => a.seconds - b.seconds)[Math.floor(kind.rounds / 2)];
      rates.push({
        search: kind.name, backend, workers, threads: 1, trials: median.trials, seconds: median.seconds,
        trialsPerHour: (median.trials * 3600) / median.seconds, firstEpochSeconds: median.firstEpochSeconds, peakMB: median.peakMB, cpu: median.cpu,
      });
    }
  }
  return rates;
}

interface TimedSearch { seconds: number; trials: number; firstEpochSeconds: number; peakMB: number; cpu?: ThreadCpu }

/** One search, read through its --json events (which end with the process's peak memory), its threads' CPU sampled. */
async function timeSearch(spec: string, backend: string, workers: number): Promise<TimedSearch> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'automm-bench-'));
  const started = Date.now();
  const args = [path.join(__dirname, '..', 'cli', 'main.js'), 'search', spec, '--workers', String(workers), '--threads', '1',
    '--backend', backend, '--out', out, '--no-refit', '--json'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const sampler = sampleThreadCpu(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const cpu = sampler.stop(workers);
  const seconds = (Date.now() - started) / 1000;
  fs.rmSync(out, { recursive: true, force: true });
  if (code !== 0) throw new Error(`bench search of ${path.basename(spec)} failed: ${stderr}`);
  const events = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event: string; time: string; done?: number; peak_rss_mb?: number });
  const firstEpoch = events.find((e) => e.event === 'epoch');
  const finish = events.find((e) => e.event === 'finish');
  if (!firstEpoch || !finish) throw new Error(`bench search of ${path.basename(spec)} logged no epoch or no finish`);
  return { seconds, trials: finish.done ?? 0, firstEpochSeconds: (Date.parse(firstEpoch.time) - started) / 1000, peakMB: finish.peak_rss_mb ?? NaN, cpu };
}

export type { StepTiming };
