/**
 * The browser bundle in headless Chromium against Node: the same rows give the same class names,
 * probabilities and values (to 1e-5) from ImageData, <img>, canvas and image URLs, the same error
 * for a bad row, and the example page predicts. One Chromium launch; the page posts its results back.
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { decodeImage } from '../src/data/image';
import { BROWSER_BUNDLE, EXAMPLE_PAGE, writeBrowserFiles } from '../src/export/browser-files';
import { loadPredictor } from '../src/export/predictor';
import type { Prediction } from '../src/export/outputs';
import { petRows, PETS, trainedPetsModel } from '../src/export/testing';
import { ROOT, scratch } from './helpers';

const TF_SCRIPTS = ['tfjs-core/dist/tf-core.min.js', 'tfjs-layers/dist/tf-layers.min.js', 'tfjs-backend-cpu/dist/tf-backend-cpu.min.js'].map((p) => path.join(ROOT, 'node_modules', '@tensorflow', p));
const CHROMIUM = ['chromium', 'chromium-browser', 'google-chrome'].find((c) => spawnSync('which', [c]).status === 0);

/** What the page is asked to do, and what it sends back. */
interface Job { rows: Array<Record<string, string>>; pixels: string[]; png: number[]; bad: Record<string, unknown> }
interface Results { imageData: Prediction[]; img: Prediction[]; canvas: Prediction[]; url: Prediction[]; badError: string; example: Prediction; error?: string }

let dir: string;
let expected: Prediction[];
let nodeError: string;
let results: Results;

/** The page: runs every variant, posts the results to /result. */
const PAGE = `<!doctype html><html><body>
${TF_SCRIPTS.map((_, i) => `<script src="/tf/${i}.js"></script>`).join('')}
<script src="/model/${BROWSER_BUNDLE}"></script>
<script>
const rgba = (b64) => { const rgb = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)); const out = new Uint8ClampedArray(rgb.length / 3 * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) { out[j] = rgb[i]; out[j + 1] = rgb[i + 1]; out[j + 2] = rgb[i + 2]; out[j + 3] = 255; } return new ImageData(out, 16, 16); };
const loaded = (src) => new Promise((ok, fail) => { const img = new Image(); img.onload = () => ok(img); img.onerror = fail; img.src = src; });
async function exampleRow(job) {
  const frame = document.createElement('iframe'); frame.src = '/model/${EXAMPLE_PAGE}'; document.body.append(frame);
  const doc = await new Promise((ok) => frame.onload = () => ok(frame.contentDocument));
  const out = doc.getElementById('out');
  while (out.textContent !== 'ready') { if (!out.textContent.startsWith('loading')) throw new Error('example page: ' + out.textContent); await new Promise((r) => setTimeout(r, 20)); }
  const form = doc.getElementById('row');
  for (const [k, v] of Object.entries(job.rows[job.png[0]])) if (form.elements.namedItem(k) && k !== 'photo_path') form.elements.namedItem(k).value = v;
  const files = new DataTransfer(); files.items.add(new File([await (await fetch('/pets/' + job.rows[job.png[0]].photo_path)).blob()], 'a.png', { type: 'image/png' }));
  form.elements.namedItem('photo_path').files = files.files;
  doc.getElementById('predict').click();
  while (out.textContent === 'ready') await new Promise((r) => setTimeout(r, 20));
  try { return JSON.parse(out.textContent)[0]; } catch { throw new Error('example page: ' + out.textContent); }
}
(async () => {
  const results = {};
  try {
    const job = await (await fetch('/job')).json();
    const p = await automm.loadPredictor('/model/');
    const withImages = (rows, images) => rows.map((r, i) => ({ ...r, photo_path: images[i] }));
    results.imageData = await p.predict(withImages(job.rows, job.pixels.map(rgba)));
    const pngRows = job.png.map((i) => job.rows[i]);
    const imgs = await Promise.all(pngRows.map((r) => loaded('/pets/' + r.photo_path)));
    results.img = await p.predict(withImages(pngRows, imgs));
    results.canvas = await p.predict(withImages(pngRows, imgs.map((img) => { const c = document.createElement('canvas'); c.width = img.width; c.height = img.height; c.getContext('2d').drawImage(img, 0, 0); return c; })));
    results.url = await p.predict(withImages(pngRows, pngRows.map((r) => '/pets/' + r.photo_path)));
    results.badError = await p.predict([job.bad]).then(() => 'no error', (e) => e.message);
    results.example = await exampleRow(job);
  } catch (err) { results.error = String(err && err.stack || err); }
  await fetch('/result', { method: 'POST', body: JSON.stringify(results) });
})();
</script></body></html>`;

function startServer(job: Job, onResult: (r: Results) => void): Promise<http.Server> {
  const types: Record<string, string> = { '.js': 'text/javascript', '.json': 'application/json', '.html': 'text/html', '.png': 'image/png', '.bin': 'application/octet-stream' };
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url!.split('?')[0]);
    const send = (body: string | Buffer, type = 'text/html') => res.writeHead(200, { 'content-type': type }).end(body);
    if (url === '/result') {
      let body = '';
      req.on('data', (d) => (body += d)).on('end', () => (res.end(), onResult(JSON.parse(body))));
    } else if (url === '/') send(PAGE);
    else if (url === '/job') send(JSON.stringify(job), types['.json']);
    else if (url.startsWith('/tf/')) send(fs.readFileSync(TF_SCRIPTS[Number(path.basename(url, '.js'))]), types['.js']);
    else if (url === `/model/${EXAMPLE_PAGE}`) {
      // The example page takes tfjs from a CDN; offline, the same scripts come from node_modules.
      const page = fs.readFileSync(path.join(dir, EXAMPLE_PAGE), 'utf8').replace(/<script src="https:\/\/cdn[^"]+"><\/script>/, TF_SCRIPTS.map((_, i) => `<script src="/tf/${i}.js"></script>`).join(''));
      send(page);
    } else if (url.startsWith('/model/') || url.startsWith('/pets/')) {
      const file = url.startsWith('/model/') ? path.join(dir, url.slice(7)) : path.join(PETS, url.slice(6));
      if (!fs.existsSync(file)) return void res.writeHead(404).end();
      send(fs.readFileSync(file), types[path.extname(file)] ?? 'application/octet-stream');
    } else res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function runChromium(url: string): ChildProcess {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check', `--user-data-dir=${scratch('automm-chromium-')}`, url];
  return spawn(CHROMIUM!, args, { stdio: 'ignore' });
}

const skip = !CHROMIUM && !process.env.CI ? 'chromium is not installed (apt-get install chromium; .ci/run installs it)' : false;

before(async () => {
  if (skip) return;
  if (!CHROMIUM) throw new Error('chromium is not installed; CI must have it (.ci/run installs it)');
  await tf.setBackend('cpu');
  dir = await trainedPetsModel();
  writeBrowserFiles(dir);
  const rows = petRows().map(({ id: _i, label: _l, 'adoption fee': _f, ...r }) => r);
  const predictor = await loadPredictor(dir);
  expected = await predictor.predict(rows, { baseDir: PETS });
  const bad = { ...rows[0], 'age (years)': 'old' };
  nodeError = await predictor.predict([bad], { baseDir: PETS }).then(() => 'no error', (e: Error) => e.message);
  predictor.dispose();
  // Node's pixels for every row (sharp): the page gets them as ImageData, so any format is compared.
  const pixels = await Promise.all(rows.map(async (r) => Buffer.from(await decodeImage(path.join(PETS, r.photo_path), [16, 16, 3])).toString('base64')));
  const png = rows.flatMap((r, i) => (r.photo_path.endsWith('.png') ? [i] : []));
  let resolve!: (r: Results) => void;
  const received = new Promise<Results>((r) => (resolve = r));
  const server = await startServer({ rows, pixels, png, bad: { ...bad, photo_path: null } }, resolve);
  const browser = runChromium(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no result from chromium within 90 s')), 90_000).unref());
  try {
    results = await Promise.race([received, timeout]);
  } finally {
    browser.kill();
    server.close();
    server.closeAllConnections();
  }
});

after(() => undefined);

/** Same labels; probabilities and values within 1e-5 (relative for values far from 0). */
function assertClose(actual: Prediction[], wanted: Prediction[], what: string): void {
  assert.equal(actual.length, wanted.length, what);
  actual.forEach((p, r) => {
    for (const [head, w] of Object.entries(wanted[r])) {
      const a = p[head] as unknown as Record<string, unknown>;
      if ('probabilities' in w) {
        assert.equal(a.label, w.label, `${what} row ${r} ${head}`);
        assert.deepEqual(Object.keys(a.probabilities as object), Object.keys(w.probabilities), `${what} row ${r}`);
        for (const [k, v] of Object.entries(w.probabilities)) assert.ok(Math.abs((a.probabilities as Record<string, number>)[k] - v) <= 1e-5, `${what} row ${r} ${head} ${k}: ${(a.probabilities as Record<string, number>)[k]} vs ${v}`);
      } else {
        assert.ok(Math.abs((a.value as number) - w.value) <= 1e-5 * Math.max(1, Math.abs(w.value)), `${what} row ${r} ${head}: ${a.value} vs ${w.value}`);
      }
    }
  });
}

test('browser bundle: ImageData rows match Node on every row (images decoded by sharp, everything else by the page)', { skip }, () => {
  assert.equal(results.error, undefined, results.error);
  assertClose(results.imageData, expected, 'ImageData');
});

test('browser bundle: <img>, canvas and URL images the input size match Node exactly decoded', { skip }, () => {
  const png = petRows().flatMap((r, i) => (r.photo_path.endsWith('.png') ? [i] : []));
  assert.ok(png.length >= 3);
  for (const variant of ['img', 'canvas', 'url'] as const) assertClose(results[variant], png.map((i) => expected[i]), variant);
});

test('browser bundle: a bad row is refused with the same message as on Node; the example page predicts', { skip }, () => {
  assert.equal(nodeError, 'row 1: column "age (years)" as numerical: "old" is not a number\n1 data problem; nothing was predicted.');
  assert.equal(results.badError, 'row 1: column "photo_path": missing image\nrow 1: column "age (years)" as numerical: "old" is not a number\n2 data problems; nothing was predicted.');
  const first = petRows().findIndex((r) => r.photo_path.endsWith('.png'));
  assertClose([results.example], [expected[first]], 'example page');
});
