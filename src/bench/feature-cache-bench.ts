/**
 * `npm run bench:features`: time per epoch of a frozen pretrained backbone with a small head, with
 * the feature cache (features computed once, then only the head trains) and without it (the backbone
 * runs in every batch). Same spec, same seed, same results; wasm engine, one thread, in-process.
 * Options: --rows N (default 256), --epochs N (default 3), --out FILE (default bench-features.json).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initEngine } from '../engine/backend';
import { registerCustomLayers } from '../blocks/registry';
import { loadSpecText } from '../spec/validate';
import { synthesize } from '../data/synth';
import { planGraph } from '../graph/plan';
import { resolveTrial } from '../graph/resolve';
import { defaultValue } from '../spec/space';
import { disposeModel } from '../search/training/dispose';
import { trainWithPretrained } from '../pretrained/train';
import { forgetFeatureMemory } from '../pretrained/features';
import { saveBackbone, tinyBackbone } from '../pretrained/testing';

/** A backbone the size of a small MobileNet stage stack: four stride-2 convolutions on 64x64 images. */
const BACKBONE = { inputShape: [64, 64, 3] as [number, number, number], filters: [32, 64, 128, 256], classes: 10, seed: 1 };

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const rows = Number(option('rows', '256'));
  const epochs = Number(option('epochs', '3'));
  const out = option('out', 'bench-features.json');
  const engine = await initEngine('wasm', { threads: 1 });
  registerCustomLayers();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'automm-bench-features-'));
  await saveBackbone(tinyBackbone(BACKBONE), path.join(dir, 'backbone'));
  const text = `name: bench
seed: 1
data: {source: random, rows: ${rows}}
inputs: {photo: {type: image, shape: [64, 64, 3]}}
blocks:
  bb: {type: pretrained, input: photo, model: backbone/model.json, preprocess: {scale: [-1, 1]}}
  top: {type: dense, input: bb, num_layers: 1, num_units: 64}
heads: {label: {type: classification, input: top, classes: 5}}
search: {max_trials: 1, epochs: ${epochs}, batch_size: 32}
`;
  const spec = loadSpecText(text, path.join(dir, 'spec.yaml'));
  const data = synthesize(spec);
  const plan = planGraph(spec);
  const resolution = resolveTrial(spec, plan, (_, d) => defaultValue(d));
  const run = async (cacheDir?: string) => {
    const started = Date.now();
    const ends: number[] = [];
    const result = await trainWithPretrained({ spec, plan, resolution, data, seed: 1, epochs }, { onEpoch: () => ends.push(Date.now()) }, cacheDir);
    disposeModel(result.model);
    // Epochs after the first: the first also compiles kernels (and, cached, computes the features).
    const later = ends.slice(1).map((t, i) => t - ends[i]).sort((a, b) => a - b);
    return { firstEpochMs: ends[0] - started, msPerEpoch: later[Math.floor(later.length / 2)], valLoss: result.history.at(-1)!.val_loss };
  };
  const every = await run(undefined);
  const cached = await run(path.join(dir, 'features'));
  forgetFeatureMemory(); // as a resumed search in a new process: features read from the project's files
  const again = await run(path.join(dir, 'features'));
  const result = { engine: engine.backend, rows, epochs, backbone: BACKBONE, withoutCache: every, withCache: cached, withCacheFromDisk: again, speedup: every.msPerEpoch / cached.msPerEpoch };
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(
    [
      `frozen backbone (4 stride-2 convolutions, 64x64x3), ${rows} rows, batch 32, ${engine.backend} 1 thread:`,
      `  backbone every epoch: ${every.msPerEpoch} ms/epoch (first epoch ${every.firstEpochMs} ms), val_loss ${every.valLoss.toFixed(6)}`,
      `  cached features:      ${cached.msPerEpoch} ms/epoch (first epoch, features computed, ${cached.firstEpochMs} ms), val_loss ${cached.valLoss.toFixed(6)}`,
      `  cache read from disk: ${again.msPerEpoch} ms/epoch (first epoch, features read, ${again.firstEpochMs} ms), val_loss ${again.valLoss.toFixed(6)}`,
      `  ${result.speedup.toFixed(1)}x faster per epoch; written to ${out}`,
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
