/**
 * The server, route by route: in process (inject) and over real sockets, with the CLI in a child
 * process for start-up refusals and SIGTERM. One tiny pets model (images, text, numbers, categories)
 * is trained once and shared by every test here.
 */
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { loadPredictor } from '../export/predictor';
import { petRows, PETS, trainedPetsModel } from '../export/testing';
import type { Prediction } from '../export/outputs';
import { AppOptions, buildApp } from './app';
import { isLoopback, tokenChecker } from './access';
import { loadServedModel, ServedModel } from './model';

const CLI = path.join(__dirname, '..', 'cli', 'main.js');
const NUMERIC = ['age (years)', 'weight kg'];
let dir: string;
let model: ServedModel;
let expected: Prediction[];
const apps: FastifyInstance[] = [];

before(async () => {
  await tf.setBackend('cpu');
  dir = await trainedPetsModel();
  model = await loadServedModel(dir, { name: 'pets', maxPixels: 64 * 64, batch: { maxRows: 64, maxDelayMs: 5 } });
  const predictor = await loadPredictor(dir);
  expected = await predictor.predict(petRows(), { baseDir: PETS });
  predictor.dispose();
});

after(async () => {
  for (const app of apps) await app.close();
  model.dispose();
});

async function app(options: Partial<AppOptions> = {}): Promise<FastifyInstance> {
  const made = await buildApp({ model, bodyLimit: 1 << 20, uploadLimit: 64 << 10, maxRows: 16, ...options });
  apps.push(made);
  return made;
}

const imageBytes = (cell: string) => fs.readFileSync(path.join(PETS, cell));

/** A CSV row as TensorFlow Serving JSON: numbers as numbers (null when empty), images as {"b64": ...}. */
function instance(row: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row, photo_path: { b64: imageBytes(row.photo_path).toString('base64') } };
  for (const c of NUMERIC) out[c] = row[c] === '' ? null : Number(row[c]);
  delete out.id, delete out.label, delete out['adoption fee'];
  return out;
}

/** A multipart/form-data body, encoded by the platform's own FormData. */
async function form(fields: Record<string, string>, files: Record<string, { name: string; bytes: Buffer }> = {}) {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  for (const [k, f] of Object.entries(files)) data.append(k, new Blob([f.bytes]), f.name);
  const request = new Request('http://form.invalid/', { method: 'POST', body: data });
  return { payload: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type')! } };
}

const formFields = (row: Record<string, string>) => Object.fromEntries(['review', ...NUMERIC, 'home city', 'vaccinated'].map((c) => [c, row[c]]));

test('TensorFlow Serving predict: the same predictions as loadPredictor on the same rows', async () => {
  const server = await app();
  const res = await server.inject({ method: 'POST', url: '/v1/models/pets:predict', payload: { instances: petRows().map(instance) } });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().predictions, expected);
  assert.deepEqual(Object.keys(res.json().predictions[0].label.probabilities), ['cat', 'dog', 'rabbit']);
});

test('metadata, status and health', async () => {
  const server = await app();
  const meta = (await server.inject('/v1/models/pets/metadata')).json();
  assert.deepEqual(meta.model_spec, { name: 'pets', version: '1' });
  assert.deepEqual(meta.metadata.inputs.map((i: { name: string; type: string }) => `${i.name}:${i.type}`), ['photo:image', 'review:text', 'attrs:structured']);
  assert.deepEqual(meta.metadata.inputs[2].columns.map((c: { name: string; kind: string }) => `${c.name}:${c.kind}`), ['age (years):numerical', 'weight kg:numerical', 'home city:categorical', 'vaccinated:categorical']);
  assert.deepEqual(meta.metadata.inputs[0].columns[0], { name: 'photo_path', kind: 'image', shape: [16, 16, 3] });
  assert.deepEqual(meta.metadata.heads, [{ name: 'label', type: 'classification', classes: ['cat', 'dog', 'rabbit'], multi_label: false }, { name: 'fee', type: 'regression', units: 1 }]);
  const status = (await server.inject('/v1/models/pets')).json();
  assert.equal(status.model_version_status[0].state, 'AVAILABLE');
  assert.deepEqual(status.metadata, meta.metadata);
  const health = (await server.inject('/healthz')).json();
  assert.deepEqual([health.status, health.model, health.batches > 0, health.rows >= health.batches], ['ok', 'pets', true, true]);
  const missing = await server.inject('/v1/models/other');
  assert.equal(missing.statusCode, 404);
  assert.match(missing.json().error, /no route GET \/v1\/models\/other; this server has .*POST \/v1\/models\/pets:predict/);
});

test('forms: /predict takes a row of fields and an uploaded image, /batch_predict a dataset naming uploads', async () => {
  const server = await app();
  const rows = petRows();
  const one = await form(formFields(rows[0]), { photo_path: { name: 'x.png', bytes: imageBytes(rows[0].photo_path) } });
  const res = await server.inject({ method: 'POST', url: '/predict', ...one });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), expected[0]);

  const columns = ['photo_path', 'review', ...NUMERIC, 'home city', 'vaccinated'];
  const dataset = JSON.stringify({ columns, data: rows.slice(0, 3).map((r) => columns.map((c) => (c === 'photo_path' ? path.basename(r[c]) : r[c]))) });
  const files = Object.fromEntries(rows.slice(0, 3).map((r, i) => [`file${i}`, { name: path.basename(r.photo_path), bytes: imageBytes(r.photo_path) }]));
  const batch = await server.inject({ method: 'POST', url: '/batch_predict', ...(await form({ dataset }, files)) });
  assert.equal(batch.statusCode, 200, batch.body);
  assert.deepEqual(batch.json().predictions, expected.slice(0, 3));
});

test('bad requests: 400 naming the field and what was expected; paths are never read', async () => {
  const server = await app();
  const good = instance(petRows()[0]);
  const post = (instances: unknown) => server.inject({ method: 'POST', url: '/v1/models/pets:predict', payload: { instances } });
  const cases: Array<[unknown, RegExp]> = [
    [[{ ...good, 'age (years)': 'old' }], /^instances\[0\]\["age \(years\)"\]: expected a number or null, got "old"$/],
    [[good, { ...good, vaccinated: [1] }], /^instances\[1\]\.vaccinated: expected a category: a string, number, boolean or null, got a list of 1$/],
    [[{ ...good, revew: 'x' }], /^instances\[0\]\.revew: unknown field; known: .* \(did you mean "review"\?\)$/m],
    [[{ ...good, review: undefined }], /^instances\[0\]\.review: missing; expected text \(a string\) or null$/m],
    [[{ ...good, photo_path: '/etc/passwd' }], /^instances\[0\]\.photo_path: expected an image as \{"b64": "<base64 PNG, JPEG, WebP or GIF>"\}, got "\/etc\/passwd"$/],
    [[{ ...good, photo_path: { b64: Buffer.from('not an image').toString('base64') } }], /^instances\[0\]: column "photo_path": image cannot be decoded: .*\n1 data problem; nothing was predicted\.$/],
    [[], /^instances: expected a list of 1 to 16 instances, got a list of 0$/],
    [Array(17).fill(good), /^instances: expected a list of 1 to 16 instances, got a list of 17$/],
  ];
  for (const [instances, message] of cases) {
    const res = await post(instances);
    assert.equal(res.statusCode, 400, `${JSON.stringify(instances).slice(0, 80)}: ${res.body}`);
    assert.match(res.json().error, message);
  }
  const notJson = await server.inject({ method: 'POST', url: '/v1/models/pets:predict', payload: '{"instances": [', headers: { 'content-type': 'application/json' } });
  assert.equal(notJson.statusCode, 400);

  const row = petRows()[0];
  const pathField = await server.inject({ method: 'POST', url: '/predict', ...(await form({ ...formFields(row), photo_path: '/etc/passwd' })) });
  assert.equal(pathField.statusCode, 400);
  assert.equal(pathField.json().error, 'field "photo_path": expected an uploaded image file, got a text field (paths are never read)');
  const badNumber = await server.inject({ method: 'POST', url: '/predict', ...(await form({ ...formFields(row), 'weight kg': 'heavy' }, { photo_path: { name: 'a.png', bytes: imageBytes(row.photo_path) } })) });
  assert.equal(badNumber.json().error, 'form: column "weight kg" as numerical: "heavy" is not a number\n1 data problem; nothing was predicted.');
  const unknownFile = await server.inject({ method: 'POST', url: '/batch_predict', ...(await form({ dataset: JSON.stringify({ columns: ['photo_path', 'review', ...NUMERIC, 'home city', 'vaccinated'], data: [['nope.png', 'x', 1, 2, 'Lille', 'yes']] }) })) });
  assert.equal(unknownFile.json().error, 'field "dataset": row 1 column "photo_path": no uploaded file named "nope.png"');
});

test('limits: body (413), upload (413) and pixels (400)', async () => {
  const server = await app({ bodyLimit: 4096, uploadLimit: 1024 });
  const good = instance(petRows()[0]);
  const big = await server.inject({ method: 'POST', url: '/v1/models/pets:predict', payload: { instances: [{ ...good, review: 'x'.repeat(5000) }] } });
  assert.equal(big.statusCode, 413);
  const row = petRows()[0];
  const huge = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#808080' } }).png().toBuffer();
  const noise = Buffer.from(Array.from({ length: 40 * 40 * 3 }, (_, i) => Math.floor(((Math.sin(i * 12.9898) * 43758.5453) % 1 + 1) * 128)));
  const bigUpload = await sharp(noise, { raw: { width: 40, height: 40, channels: 3 } }).png().toBuffer();
  assert.ok(bigUpload.length > 1024 && huge.length < 1024);
  const tooBig = await app({ uploadLimit: 1024 });
  const upload = await tooBig.inject({ method: 'POST', url: '/predict', ...(await form(formFields(row), { photo_path: { name: 'a.png', bytes: bigUpload } })) });
  assert.equal(upload.statusCode, 413, upload.body);
  const pixels = await tooBig.inject({ method: 'POST', url: '/predict', ...(await form(formFields(row), { photo_path: { name: 'a.png', bytes: huge } })) });
  assert.equal(pixels.statusCode, 400);
  assert.match(pixels.json().error, /column "photo_path": image has more than 4096 pixels/);
});

test('access: bearer token in constant time, CORS off unless origins are given, loopback detection', async () => {
  const server = await app({ token: 's3cret' });
  const url = '/v1/models/pets/metadata';
  assert.equal((await server.inject(url)).statusCode, 401);
  assert.equal((await server.inject({ url, headers: { authorization: 'Bearer wrong' } })).statusCode, 401);
  assert.equal((await server.inject({ url, headers: { authorization: 'Bearer s3cret' } })).statusCode, 200);
  assert.equal((await server.inject('/healthz')).statusCode, 200);
  const check = tokenChecker('abc');
  assert.deepEqual(['Bearer abc', 'bearer abc', 'Bearer abcd', 'Bearer ', '', undefined, 'abc'].map((h) => check(h as string)), [true, true, false, false, false, false, false]);

  const closed = await app();
  assert.equal((await closed.inject({ url, headers: { origin: 'https://example.com' } })).headers['access-control-allow-origin'], undefined);
  const open = await app({ corsOrigins: ['https://example.com'] });
  assert.equal((await open.inject({ url, headers: { origin: 'https://example.com' } })).headers['access-control-allow-origin'], 'https://example.com');
  assert.equal((await open.inject({ url, headers: { origin: 'https://evil.example' } })).headers['access-control-allow-origin'], undefined);
  assert.deepEqual(['127.0.0.1', '127.8.0.1', 'localhost', '::1', '[::1]', '0.0.0.0', '192.168.1.2', '::'].map(isLoopback), [true, true, true, true, true, false, false, false]);
});

test('over a real socket: every route; concurrent requests share model calls, each logged with its latency', async () => {
  const lines: string[] = [];
  const server = await app({ log: (l) => lines.push(l) });
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  const rows = petRows().map(instance);
  const callsBefore = model.batcher.calls;
  const results = await Promise.all(rows.map((r) => fetch(`${address}/v1/models/pets:predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instances: [r] }) }).then((res) => res.json() as Promise<{ predictions: Prediction[] }>)));
  assert.deepEqual(results.map((r) => r.predictions[0]), expected);
  assert.ok(model.batcher.calls - callsBefore < rows.length, `${model.batcher.calls - callsBefore} model calls for ${rows.length} requests`);
  assert.equal(lines.length, rows.length);
  assert.match(lines[0], /^\S+Z POST \/v1\/models\/pets:predict 200 rows=1 \d+\.\dms$/);

  // Every other route over the socket too, forms encoded by fetch itself.
  for (const route of ['/healthz', '/v1/models/pets', '/v1/models/pets/metadata']) assert.equal((await fetch(`${address}${route}`)).status, 200, route);
  const raw = petRows()[0];
  const one = new FormData();
  for (const [k, v] of Object.entries(formFields(raw))) one.append(k, v);
  one.append('photo_path', new Blob([imageBytes(raw.photo_path)]), 'a.png');
  assert.deepEqual(await (await fetch(`${address}/predict`, { method: 'POST', body: one })).json(), expected[0]);
  const columns = ['photo_path', 'review', ...NUMERIC, 'home city', 'vaccinated'];
  const batch = new FormData();
  batch.append('dataset', JSON.stringify({ columns, data: [columns.map((c) => (c === 'photo_path' ? 'a.png' : raw[c]))] }));
  batch.append('image', new Blob([imageBytes(raw.photo_path)]), 'a.png');
  assert.deepEqual(((await (await fetch(`${address}/batch_predict`, { method: 'POST', body: batch })).json()) as { predictions: Prediction[] }).predictions, [expected[0]]);
  assert.equal(lines.length, rows.length + 5);
});

/** The CLI in a child process; resolves with its address once it listens. */
function serve(args: string[]): { child: ReturnType<typeof spawn>; address: Promise<string>; output: () => { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, [CLI, 'serve', '--model', dir, '--port', '0', '--backend', 'cpu', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  const address = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      const m = / on (http:\/\/\S+) /.exec(stderr);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`exited: ${stderr}`)));
  });
  address.catch(() => undefined); // a test that expects the refusal never awaits the address
  return { child, address, output: () => ({ stdout, stderr }) };
}

const exited = (child: ReturnType<typeof spawn>) => new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));

test('automm serve: a non-loopback address without a token is refused', async () => {
  const { child, output } = serve(['--host', '0.0.0.0']);
  assert.equal(await exited(child), 2);
  assert.match(output().stderr, /--host 0\.0\.0\.0 is reachable from other machines; give --token-file .*or say --insecure/);
});

test('automm serve: --token-file guards the routes; SIGTERM lets a request in flight finish, then exits 0', async () => {
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, 'tok-123\n');
  const { child, address, output } = serve(['--name', 'pets', '--token-file', tokenFile]);
  const url = new URL(`${await address}/v1/models/pets:predict`);
  assert.equal((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 401);
  const body = Buffer.from(JSON.stringify({ instances: petRows().slice(0, 2).map(instance) }));
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: 'Bearer tok-123' } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    // Half the body now, SIGTERM, the rest later: the request is in flight when the signal lands.
    req.write(body.subarray(0, 100), () => {
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => req.end(body.subarray(100)), 300);
      }, 100);
    });
  });
  const res = await response;
  assert.equal(res.status, 200, res.body);
  assert.deepEqual(JSON.parse(res.body).predictions, expected.slice(0, 2));
  assert.equal(await exited(child), 0);
  assert.match(output().stderr, /stopping: finishing requests in flight\nstopped\n$/);
  assert.match(output().stdout, /POST \/v1\/models\/pets:predict 401 \d+\.\dms\n.*POST \/v1\/models\/pets:predict 200 rows=2 \d+\.\dms\n$/);
});
