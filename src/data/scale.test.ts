/**
 * A table larger than it is wise to hold as JS objects: 200,000 rows (image paths, text, numbers,
 * categories) written to a temporary file, prepared, and read back one batch. The JS heap must stay
 * far below what the rows would take as objects (several hundred MB); the rows live in typed arrays.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { prepareData } from './prepare';
import { read, scratch, tableSpec, tinyImage } from './testing';

const ROWS = 200_000;
/** Generous for the transient chunks of parsed rows; the same rows as objects take about 400 MB. */
const HEAP_LIMIT_MB = 200;
const WORDS = ['good', 'bad', 'fine', 'great', 'awful', 'ok', 'nice', 'poor'];

async function writeTable(file: string): Promise<void> {
  const out = fs.createWriteStream(file);
  let text = 'photo,review,a,b,c,d,e,f,city,label\n';
  for (let r = 0; r < ROWS; r++) {
    const nums = [r % 97, (r * 7) % 1000 / 10, r % 13 === 0 ? '' : (r * 31) % 977, (r * 3) % 101, (r * 11) % 89 / 3, r % 1009];
    text += `img/${r % 4}.png,${WORDS[r % 8]} ${WORDS[(r * 3) % 8]} ${WORDS[(r * 5) % 8]},${nums.join(',')},${['Paris', 'Lyon', 'Nice'][r % 3]},${r % 2 ? 'yes' : 'no'}\n`;
    if (text.length > 1 << 20) {
      if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      text = '';
    }
  }
  out.end(text);
  await new Promise<void>((resolve) => out.on('finish', () => resolve()));
}

test(`${ROWS} rows from disk: prepared in typed arrays with a bounded heap, batches decoded on demand`, async () => {
  await tf.setBackend('cpu');
  const dir = scratch();
  for (let i = 0; i < 4; i++) await tinyImage(path.join(dir, 'img', `${i}.png`), [i * 60, 100, 200 - i * 40]);
  await writeTable(path.join(dir, 'big.csv'));
  global.gc?.();
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 10);
  try {
    const data = await prepareData(tableSpec(dir, {
      data: { source: 'big.csv', validation_split: 0.1 },
      inputs: {
        photo: { type: 'image', shape: [8, 8, 3] },
        review: { type: 'text', max_tokens: 20, sequence_length: 4 },
        attrs: { type: 'structured', columns: 'rest' },
      },
      heads: { label: { type: 'classification' } },
    }));
    assert.equal(data.train.rows + data.validation.rows, ROWS);
    assert.equal(data.validation.rows, ROWS / 10);
    // a..f numerical (c with a missing flag), city: 3 + OOV.
    assert.deepEqual(data.inputs.attrs.shape, [11]);
    const { xs, ys } = read(await data.train.batch(Array.from({ length: 64 }, (_, i) => i * 2000)));
    assert.equal(xs.photo.length, 64 * 8 * 8 * 3);
    assert.equal(xs.review.length, 64 * 4);
    assert.equal(ys.label.length, 64);
  } finally {
    clearInterval(sample);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  assert.ok(peak < HEAP_LIMIT_MB * 1e6, `peak heap ${Math.round(peak / 1e6)} MB`);
});
