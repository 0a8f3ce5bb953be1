/**
 * The bench's engine process: `node dist/bench/engine-child.js wasm:2 [--models TEXT]` starts one
 * engine (wasm's thread count is fixed when its module starts, so each engine is its own process),
 * times the reference models and the multi-modal spec's step on it, and prints one JSON line.
 */
import { BackendChoice, initEngine } from '../engine/backend';
import { BenchSection, StepTiming, benchStep } from './harness';
import { BENCH_MODELS, BenchModel } from './models';
import { multimodalSpec } from './search-bench';

/** What the process prints: its timings, or why the engine could not run. */
export type ChildReport = { reason: string; timings: StepTiming[] } | { skipped: string };

/**
 * cpu needs ~25-45 s per conv step: one warm-up and one timed step is all it gets. Elsewhere the
 * first ~10 steps are slower (JIT, weight packing, heap growth), and a median of 20 rides out the
 * shared host's noise better than one of 10.
 */
function stepsFor(backend: string): { warmup: number; steps: number } {
  return backend === 'cpu' ? { warmup: 1, steps: 1 } : { warmup: 10, steps: 20 };
}

function referenceModels(filter: string): BenchSection {
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

async function engineChild(spec: string, models: string): Promise<ChildReport> {
  const [choice, threads] = spec.split(':');
  try {
    const { backend, reason } = await initEngine(choice as BackendChoice, { threads: Number(threads) });
    const timings: StepTiming[] = [];
    for (const section of [referenceModels(models), ...(models ? [] : [multimodalSpec()])]) {
      timings.push(...(await section.run(backend)).map((t) => ({ ...t, section: section.name })));
    }
    return { reason, timings };
  } catch (e) {
    return { skipped: e instanceof Error ? e.message : String(e) };
  }
}

if (require.main === module) {
  const [spec, flag, models] = process.argv.slice(2);
  void engineChild(spec, flag === '--models' ? models : '').then((report) => {
    console.log(JSON.stringify(report));
    // Worker threads of a threaded wasm engine would keep the process alive.
    process.exit(0);
  });
}
