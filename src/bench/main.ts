/**
 * `npm run bench`: trains the reference models for a fixed number of steps on every backend that
 * loads here, prints ms/step, samples/s and the speed-up over the pure-JS cpu backend, and writes
 * the figures to JSON. Options: --out FILE (default bench-results.json), --backends cpu,wasm,...,
 * --models TEXT (only models whose name contains TEXT, e.g. conv). Each engine (wasm once per
 * thread count) runs in its own process (engine-child.ts). Then, without --models: PyTorch's conv
 * step at the same thread counts, trials per hour of a short- and a long-trial search with 1 worker
 * and with one per core (search-bench.ts), the queue, and data preparation's memory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice } from '../engine/backend';
import type { StepTiming } from './harness';
import { BENCH_MODELS } from './models';
import { packageRoot } from '../util/package-info';
import { dataFootprints } from './data-bench';
import { SearchRate, trialsPerHour } from './search-bench';
import { QueueRate, queueTrialsPerHour } from './queue-bench';
import type { ChildReport } from './engine-child';

interface Options { out: string; backends: BackendChoice[]; models: string }

const DEFAULT_BACKENDS: BackendChoice[] = ['cpu', 'wasm', 'tensorflow'];

export interface TorchTiming { msPerStep: number; minMs: number; threads: number; torch: string; python: string }

/**
 * PyTorch CPU on the same conv step with `threads` threads, when some python3 can import torch;
 * null otherwise. (Debian's python3-torch lives in /usr/bin/python3, not in a pyenv python3.)
 */
export function measureTorch(threads: number): TorchTiming | null {
  const script = path.join(packageRoot(), 'src', 'bench', 'torch_conv.py');
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      const args = [script, '30', String(threads)];
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
    for (const rate of await trialsPerHour(backend)) {
      searches.push(rate);
      console.log(`  ${backend.padEnd(12)} ${rate.search}-trial search: ${rate.trials} trials, ${rate.workers} worker(s): ${rate.seconds.toFixed(1)} s = ${rate.trialsPerHour.toFixed(0)} trials/hour; first epoch after ${rate.firstEpochSeconds.toFixed(2)} s; peak ${rate.peakMB} MB${cpuText(rate)}`);
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

/** Runs the step sections of one engine in a fresh process (engine-child.ts) and returns what it measured. */
function runEngineChild(engine: EngineConfig, models: string): ChildReport {
  const args = [path.join(__dirname, 'engine-child.js'), `${engine.choice}:${engine.threads}`, ...(models ? ['--models', models] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) return { skipped: `bench process exited with ${r.status ?? r.signal}` };
  return JSON.parse(last) as ChildReport;
}

/** The search's CPU seconds by thread: what the trial workers got, and what went to the rest. */
function cpuText(rate: SearchRate): string {
  const c = rate.cpu;
  return c ? `; CPU: trial threads ${c.trialSeconds.toFixed(1)} s, main ${c.mainSeconds.toFixed(1)} s, other threads (V8 compiler and GC, libuv) ${c.otherSeconds.toFixed(1)} s` : '';
}

/**
 * How close N workers come to N times the trials per hour of one on the same search, and what each
 * worker beyond the first adds to the process's peak memory.
 */
function withWorkerSpeedup(rates: SearchRate[]) {
  return rates.map((r) => {
    const one = rates.find((o) => o.backend === r.backend && o.search === r.search && o.workers === 1);
    return {
      ...r,
      speedupOverOneWorker: one ? r.trialsPerHour / one.trialsPerHour : null,
      peakMBPerExtraWorker: one && r.workers > 1 ? (r.peakMB - one.peakMB) / (r.workers - 1) : null,
    };
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
    if (r.speedupOverOneWorker != null && r.workers > 1) {
      console.log(`  ${r.search}-trial search, ${r.backend}: ${r.workers} workers made ${r.speedupOverOneWorker.toFixed(2)}x the trials/hour of 1; each worker beyond the first added ${r.peakMBPerExtraWorker?.toFixed(0)} MB of peak memory`);
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
