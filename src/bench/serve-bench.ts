/**
 * `npm run bench:serve`: a bounded load test of `automm serve` on loopback. The server runs in its
 * own process (as deployed); this process sends REQUESTS single-row TensorFlow Serving requests
 * (an image, text, numbers, categories), CONCURRENCY at a time over keep-alive connections, and
 * reports requests/s, p50/p99 latency, rows per model call, and the server's memory as it goes, so a
 * leak shows as growth. Options: --requests N, --concurrency N, --backend NAME, --out FILE.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../engine/backend';
import { petRows, PETS, trainedPetsModel } from '../export/testing';

interface Options { requests: number; concurrency: number; backend: string; out: string }

function options(argv: string[]): Options {
  const get = (flag: string, fallback: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : fallback);
  return { requests: Number(get('--requests', '10000')), concurrency: Number(get('--concurrency', '16')), backend: get('--backend', 'auto'), out: get('--out', 'bench-serve-results.json') };
}

/** Server RSS and V8 heap, read from the server's own /proc entry. */
function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

function startServer(dir: string, backend: string): Promise<{ pid: number; address: string; stop(): Promise<void> }> {
  const cli = path.join(__dirname, '..', 'cli', 'main.js');
  const child = spawn(process.execPath, [cli, 'serve', '--model', dir, '--name', 'pets', '--port', '0', '--backend', backend], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      const m = / on (http:\/\/\S+) /.exec(stderr);
      if (m) resolve({ pid: child.pid!, address: m[1], stop: () => new Promise((done) => (child.once('exit', () => done()), child.kill('SIGTERM'))) });
    });
    child.once('exit', () => reject(new Error(`automm serve exited: ${stderr}`)));
  });
}

/** One request body per pets test row, sent round-robin. */
function bodies(): Buffer[] {
  return petRows().map((r) => Buffer.from(JSON.stringify({
    instances: [{
      photo_path: { b64: fs.readFileSync(path.join(PETS, r.photo_path)).toString('base64') },
      review: r.review,
      'age (years)': r['age (years)'] === '' ? null : Number(r['age (years)']),
      'weight kg': r['weight kg'] === '' ? null : Number(r['weight kg']),
      'home city': r['home city'],
      vaccinated: r.vaccinated,
    }],
  })));
}

function post(agent: http.Agent, url: URL, body: Buffer): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - start) / 1e6) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  await initEngine('cpu');
  const dir = await trainedPetsModel();
  tf.disposeVariables();
  const server = await startServer(dir, o.backend);
  const url = new URL(`${server.address}/v1/models/pets:predict`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const payloads = bodies();
  try {
    for (let i = 0; i < 200; i++) await post(agent, url, payloads[i % payloads.length]); // warm-up: kernels, JIT
    const latencies: number[] = [];
    const memory: Array<{ requests: number; rssMb: number }> = [{ requests: 0, rssMb: rssMb(server.pid) }];
    const every = Math.max(1, Math.floor(o.requests / 10));
    let sent = 0;
    const start = performance.now();
    await Promise.all(Array.from({ length: o.concurrency }, async () => {
      while (sent < o.requests) {
        const n = sent++;
        latencies.push(await post(agent, url, payloads[n % payloads.length]));
        if (latencies.length % every === 0) memory.push({ requests: latencies.length, rssMb: rssMb(server.pid) });
      }
    }));
    const seconds = (performance.now() - start) / 1000;
    const health = await fetch(`${server.address}/healthz`).then((r) => r.json() as Promise<{ batches: number; rows: number }>);
    latencies.sort((a, b) => a - b);
    const result = {
      requests: o.requests,
      concurrency: o.concurrency,
      requestsPerSec: Math.round(o.requests / seconds),
      p50Ms: Number(percentile(latencies, 50).toFixed(2)),
      p99Ms: Number(percentile(latencies, 99).toFixed(2)),
      rowsPerModelCall: Number((health.rows / health.batches).toFixed(2)),
      memory,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    fs.writeFileSync(o.out, JSON.stringify(result, null, 2) + '\n');
  } finally {
    agent.destroy();
    await server.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
