/**
 * `npm run bench`: trains the reference models for a fixed number of steps on every backend that
 * loads here, prints ms/step, samples/s and the speed-up over the pure-JS cpu backend, and writes
 * the figures to JSON. Options: --out FILE (default bench-results.json), --backends cpu,wasm,...,
 * --models TEXT (only models whose name contains TEXT, e.g. conv).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BackendChoice, initEngine } from '../engine/backend';
import { StepTiming, benchStep } from './harness';
import { BENCH_MODELS, BenchModel } from './models';
import { packageRoot } from '../util/package-info';
import { dataFootprints } from './data-bench';
import { SearchRate, multimodalSpec, trialsPerHour } from './search-bench';

/** A named group of timings; later: the multi-modal spec, trials per hour. */
export interface BenchSection {
  name: string;
  run(backend: string): Promise<StepTiming[]>;
}

interface Options { out: string; backends: BackendChoice[]; models: string }

const DEFAULT_BACKENDS: BackendChoice[] = ['cpu', 'wasm', 'tensorflow'];

/** cpu needs ~45 s per conv step: one warm-up and one timed step is all it gets. */
function stepsFor(backend: string): { warmup: number; steps: number } {
  return backend === 'cpu' ? { warmup: 1, steps: 1 } : { warmup: 3, steps: 10 };
}

export function referenceModels(filter: string): BenchSection {
  return {
    name: 'reference models',
    async run(backend) {
      const timings: StepTiming[] = [];
      for (const model of BENCH_MODELS.filter((m) => m.name.includes(filter))) timings.push(await timeModel(model, backend));
      return timings;
    },
  };
}

async function timeModel(model: BenchModel, backend: string): Promise<StepTiming> {
  const { step, dispose } = model.build();
  try {
    return await benchStep(model.name, step, { batchSize: model.batchSize, ...stepsFor(backend) });
  } finally {
    dispose();
  }
}

export interface TorchTiming { msPerStep: number; minMs: number; threads: number; torch: string; python: string }

/**
 * PyTorch CPU on the same conv step with `threads` threads, when some python3 can import torch;
 * null otherwise. (Debian's python3-torch lives in /usr/bin/python3, not in a pyenv python3.)
 */
export function measureTorch(threads: number): TorchTiming | null {
  const script = path.join(packageRoot(), 'src', 'bench', 'torch_conv.py');
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      const args = [script, '20', String(threads)];
      const out = execFileSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 300_000 });
      return { ...JSON.parse(out.trim().split('\n').pop() ?? ''), python };
    } catch {
      // No python, or no torch in it: try the next one.
    }
  }
  return null;
}

async function main(opts: Options): Promise<void> {
  const results: (StepTiming & { section: string })[] = [];
  const skipped: Record<string, string> = {};
  const searches: SearchRate[] = [];
  for (const choice of opts.backends) {
    try {
      const { backend, reason } = await initEngine(choice);
      console.log(`# ${reason}`);
      for (const section of [referenceModels(opts.models), ...(opts.models ? [] : [multimodalSpec()])]) {
        for (const t of await section.run(backend)) {
          results.push({ ...t, section: section.name });
          console.log(`  ${t.backend.padEnd(10)} ${t.name.padEnd(48)} ${t.msPerStep.toFixed(1).padStart(9)} ms/step (min ${t.minMs.toFixed(1)}) ${t.samplesPerSec.toFixed(0).padStart(7)} samples/s`);
        }
      }
      if (!opts.models) for (const rate of trialsPerHour(backend)) {
        searches.push(rate);
        console.log(`  ${backend.padEnd(10)} search: ${rate.trials} trials with ${rate.workers} worker(s) in ${rate.seconds.toFixed(1)} s = ${rate.trialsPerHour.toFixed(0)} trials/hour`);
      }
    } catch (e) {
      skipped[choice] = e instanceof Error ? e.message : String(e);
      console.log(`# ${choice}: skipped (${skipped[choice]})`);
    }
  }
  // All cores (what a user gets) and one thread (what wasm uses: its threads are off in Node).
  const wantTorch = BENCH_MODELS[0].name.includes(opts.models);
  const torch = wantTorch ? [...new Set([os.cpus().length, 1])].map(measureTorch).filter((t) => t != null) : [];
  printSummary(results, torch);
  const data = opts.models ? [] : await dataFootprints();
  for (const d of data) console.log(`data ${d.spec}: ${d.trainRows} training rows prepared in ${d.seconds.toFixed(2)} s, peak ${d.peakMB.toFixed(1)} MB above baseline`);
  const report = {
    date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model,
    tfjs: tf.version_core, results: withRatios(results), pytorch: torch, searches: withWorkerSpeedup(searches), data, skipped,
  };
  fs.writeFileSync(opts.out, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwrote ${path.resolve(opts.out)}`);
}

/** How close N workers come to N times the trials per hour of one. */
function withWorkerSpeedup(rates: SearchRate[]): (SearchRate & { speedupOverOneWorker: number | null })[] {
  return rates.map((r) => {
    const one = rates.find((o) => o.backend === r.backend && o.workers === 1);
    return { ...r, speedupOverOneWorker: one ? r.trialsPerHour / one.trialsPerHour : null };
  });
}

function withRatios(results: StepTiming[]): (StepTiming & { speedupOverCpu: number | null })[] {
  return results.map((r) => {
    const cpu = results.find((c) => c.backend === 'cpu' && c.name === r.name);
    return { ...r, speedupOverCpu: cpu ? cpu.msPerStep / r.msPerStep : null };
  });
}

function printSummary(results: StepTiming[], torch: TorchTiming[]): void {
  console.log('\nspeed-up over cpu:');
  for (const r of withRatios(results)) {
    if (r.backend !== 'cpu' && r.speedupOverCpu != null) console.log(`  ${r.backend.padEnd(10)} ${r.name.padEnd(48)} ${r.speedupOverCpu.toFixed(1)}x`);
  }
  if (torch.length === 0) return console.log('pytorch: not measured (no python3 with torch)');
  for (const t of torch) {
    console.log(`pytorch ${t.torch} cpu, ${t.threads} threads: conv step ${t.msPerStep.toFixed(1)} ms/step (min ${t.minMs.toFixed(1)})`);
    for (const r of results.filter((x) => x.name === BENCH_MODELS[0].name && x.backend !== 'cpu')) {
      console.log(`  ${r.backend} conv step / pytorch: ${(r.msPerStep / t.msPerStep).toFixed(2)}x the time (min/min ${(r.minMs / t.minMs).toFixed(2)}x)`);
    }
  }
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { out: 'bench-results.json', backends: DEFAULT_BACKENDS, models: '' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') opts.out = argv[++i];
    else if (argv[i] === '--backends') opts.backends = argv[++i].split(',') as BackendChoice[];
    else if (argv[i] === '--models') opts.models = argv[++i];
    else throw new Error(`unknown option ${argv[i]}; expected --out FILE, --backends cpu,wasm,tensorflow or --models TEXT`);
  }
  return opts;
}

if (require.main === module) {
  main(parseArgs(process.argv.slice(2))).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
