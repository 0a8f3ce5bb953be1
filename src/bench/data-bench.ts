/** Peak memory and time to prepare each bundled example dataset (issue: report it in the bench). */
import * as path from 'node:path';
import { loadSpec } from '../spec/validate';
import { prepareData } from '../data/prepare';
import { packageRoot } from '../util/package-info';

export interface DataFootprint {
  spec: string;
  trainRows: number;
  seconds: number;
  /** Highest heap + array-buffer use seen while preparing, above what was in use before. */
  peakMB: number;
}

const SPECS = ['table-pets.yaml', 'table-reviews.yaml', 'images-folder.yaml'];
const inUse = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

export async function dataFootprints(): Promise<DataFootprint[]> {
  const out: DataFootprint[] = [];
  for (const file of SPECS) {
    global.gc?.();
    const base = inUse();
    let peak = base;
    // Preparing awaits file reads and image decoding, so a sampler gets to run in between.
    const sampler = setInterval(() => (peak = Math.max(peak, inUse())), 5);
    const started = process.hrtime.bigint();
    const data = await prepareData(loadSpec(path.join(packageRoot(), 'specs', file)));
    clearInterval(sampler);
    peak = Math.max(peak, inUse());
    out.push({ spec: file, trainRows: data.train.rows, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMB: (peak - base) / 2 ** 20 });
  }
  return out;
}
