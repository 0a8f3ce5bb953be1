/**
 * `npm run bench`: trains the reference models for a fixed number of steps on every backend that
 * loads here, prints ms/step, samples/s and the speed-up over the pure-JS cpu backend, and writes
 * the figures to JSON. Options: --out FILE (default bench-results.json), --backends cpu,wasm,...,
 * --models TEXT (only models whose name contains TEXT, e.g. conv). Each engine (wasm once per
 * thread count) runs in its own process, started with --engine CHOICE:THREADS.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BackendChoice, initEngine } from '../engine/backend';
import { BenchSection, StepTiming, benchStep } from './harness';
import { BENCH_MODELS, BenchModel } from './models';
import { packageRoot } from '../util/package-info';
import { dataFootprints } from './data-bench';
import { SearchRate, multimodalSpec, trialsPerHour } from './search-bench';
import { QueueRate, queueTrialsPerHour } from './queue-bench';

export type { BenchSection } from './harness';

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
  const results: Timed[] = [];
  const skipped: Record<string, string> = {};
  for (const engine of engineConfigs(opts.backends)) {
    const label = engineLabel(engine);
    const child = runEngineChild(engine, opts.models);
    if ('skipped' in child) {
      skipped[label] = child.skipped;
      console.log(`# ${label}: skipped (${child.skipped})`);
      continue;
    }
    console.log(`# ${child.reason}`);
    for (const t of child.timings) {
      results.push({ ...t, threads: engine.threads });
      console.log(`  ${label.padEnd(12)} ${t.name.padEnd(48)} ${t.msPerStep.toFixed(1).padStart(9)} ms/step (min ${t.minMs.toFixed(1)}) ${t.samplesPerSec.toFixed(0).padStart(7)} samples/s`);
    }
  }
  // PyTorch with the same thread counts as the wasm engines, so each ratio compares like with like.
  const wantTorch = BENCH_MODELS[0].name.includes(opts.models);
  const torch = wantTorch ? threadCounts().map(measureTorch).filter((t) => t != null) : [];
  const searches: SearchRate[] = [];
  if (!opts.models) for (const backend of opts.backends.filter((b) => b !== 'cpu' && !(engineLabel({ choice: b, threads: 1 }) in skipped))) {
    for (const rate of trialsPerHour(backend)) {
      searches.push(rate);
      console.log(`  ${backend.padEnd(12)} search: ${rate.trials} trials, ${rate.workers} worker(s) x ${rate.threads} thread(s): ${rate.seconds.toFixed(1)} s = ${rate.trialsPerHour.toFixed(0)} trials/hour`);
    }
  }
  // Through the queue: wasm only (the engine every machine has), when redis-server is installed.
  const queue: QueueRate[] = !opts.models && opts.backends.includes('wasm') ? await queueTrialsPerHour('wasm') : [];
  for (const r of queue) console.log(`  wasm         search through the queue, ${r.workerProcesses} worker process(es): ${r.seconds.toFixed(1)} s = ${r.trialsPerHour.toFixed(0)} trials/hour`);
  printSummary(results, torch, searches);
  const data = opts.models ? [] : await dataFootprints();
  for (const d of data) console.log(`data ${d.spec}: ${d.trainRows} training rows prepared in ${d.seconds.toFixed(2)} s, peak ${d.peakMB.toFixed(1)} MB above baseline`);
  const report = {
    date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model,
    tfjs: tf.version_core, results: withRatios(results), pytorch: torch, versusPytorch: versusTorch(results, torch),
    searches: withWorkerSpeedup(searches), queue, data, skipped,
  };
  fs.writeFileSync(opts.out, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwrote ${path.resolve(opts.out)}`);
}

interface EngineConfig { choice: BackendChoice; threads: number }

/** 1 and all cores: wasm's thread count is fixed when its module starts, so each is its own process. */
function threadCounts(): number[] {
  return [...new Set([1, os.availableParallelism()])];
}

function engineConfigs(backends: BackendChoice[]): EngineConfig[] {
  return backends.flatMap((choice) => (choice === 'wasm' ? threadCounts() : [1]).map((threads) => ({ choice, threads })));
}

function engineLabel(e: EngineConfig): string {
  return e.choice === 'wasm' ? `wasm x${e.threads}` : e.choice;
}

type ChildReport = { reason: string; timings: StepTiming[] } | { skipped: string };

/** Runs the step sections of one engine in a fresh process and returns what it measured. */
function runEngineChild(engine: EngineConfig, models: string): ChildReport {
  const args = [__filename, '--engine', `${engine.choice}:${engine.threads}`, ...(models ? ['--models', models] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) return { skipped: `bench process exited with ${r.status ?? r.signal}` };
  return JSON.parse(last) as ChildReport;
}

/** The child side: start the engine, time every section, print one JSON line. */
async function engineChild(spec: string, models: string): Promise<void> {
  const [choice, threads] = spec.split(':');
  let report: ChildReport;
  try {
    const { backend, reason } = await initEngine(choice as BackendChoice, { threads: Number(threads) });
    const timings: StepTiming[] = [];
    for (const section of [referenceModels(models), ...(models ? [] : [multimodalSpec()])]) {
      timings.push(...(await section.run(backend)).map((t) => ({ ...t, section: section.name })));
    }
    report = { reason, timings };
  } catch (e) {
    report = { skipped: e instanceof Error ? e.message : String(e) };
  }
  console.log(JSON.stringify(report));
  process.exit(0);
}

/** How close N workers (one thread each) come to N times the trials per hour of one. */
function withWorkerSpeedup(rates: SearchRate[]): (SearchRate & { speedupOverOneWorker: number | null })[] {
  return rates.map((r) => {
    const one = rates.find((o) => o.backend === r.backend && o.workers === 1 && o.threads === 1);
    return { ...r, speedupOverOneWorker: one ? r.trialsPerHour / one.trialsPerHour : null };
  });
}

type Timed = StepTiming & { threads: number };

function withRatios(results: Timed[]): (Timed & { speedupOverCpu: number | null })[] {
  return results.map((r) => {
    const cpu = results.find((c) => c.backend === 'cpu' && c.name === r.name);
    return { ...r, speedupOverCpu: cpu ? cpu.msPerStep / r.msPerStep : null };
  });
}

/** The conv step's time on each engine over PyTorch's with the same number of threads. */
function versusTorch(results: Timed[], torch: TorchTiming[]) {
  return results.filter((r) => r.name === BENCH_MODELS[0].name && r.backend !== 'cpu').flatMap((r) => {
    const t = torch.find((x) => x.threads === r.threads);
    return t ? [{ backend: r.backend, threads: r.threads, msPerStep: r.msPerStep, pytorchMsPerStep: t.msPerStep, timesPytorch: r.msPerStep / t.msPerStep }] : [];
  });
}

function printSummary(results: Timed[], torch: TorchTiming[], searches: SearchRate[]): void {
  console.log('\nspeed-up over cpu:');
  for (const r of withRatios(results)) {
    if (r.backend !== 'cpu' && r.speedupOverCpu != null) console.log(`  ${engineLabel({ choice: r.backend as BackendChoice, threads: r.threads }).padEnd(12)} ${r.name.padEnd(48)} ${r.speedupOverCpu.toFixed(1)}x`);
  }
  if (torch.length === 0) console.log('pytorch: not measured (no python3 with torch)');
  for (const t of torch) console.log(`pytorch ${t.torch} cpu, ${t.threads} thread(s): conv step ${t.msPerStep.toFixed(1)} ms/step (min ${t.minMs.toFixed(1)})`);
  for (const v of versusTorch(results, torch)) {
    console.log(`  conv step, ${v.backend} vs pytorch on ${v.threads} thread(s): ${v.timesPytorch.toFixed(2)}x pytorch's time`);
  }
  for (const r of withWorkerSpeedup(searches)) {
    if (r.speedupOverOneWorker != null && (r.workers > 1 || r.threads > 1)) {
      console.log(`  search, ${r.backend} ${r.workers} worker(s) x ${r.threads} thread(s): ${r.speedupOverOneWorker.toFixed(2)}x the trials/hour of 1 worker x 1 thread`);
    }
  }
}

function parseArgs(argv: string[]): Options & { engine?: string } {
  const opts: Options & { engine?: string } = { out: 'bench-results.json', backends: DEFAULT_BACKENDS, models: '' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') opts.out = argv[++i];
    else if (argv[i] === '--backends') opts.backends = argv[++i].split(',') as BackendChoice[];
    else if (argv[i] === '--models') opts.models = argv[++i];
    else if (argv[i] === '--engine') opts.engine = argv[++i];
    else throw new Error(`unknown option ${argv[i]}; expected --out FILE, --backends cpu,wasm,tensorflow or --models TEXT`);
  }
  return opts;
}

if (require.main === module) {
  const opts = parseArgs(process.argv.slice(2));
  (opts.engine ? engineChild(opts.engine, opts.models) : main(opts)).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
