import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { sampleThreadCpu } from './thread-cpu';

// A process whose main thread waits while one worker thread spins for a second.
const SPIN = `
const { Worker } = require('node:worker_threads');
new Worker('const end = Date.now() + 1000; let x = 0; while (Date.now() < end) x++;', { eval: true }).on('exit', () => process.exit(0));`;

test('thread CPU is told apart: the busy worker thread, the idle main thread', { skip: process.platform !== 'linux' && 'no /proc here' }, async () => {
  const child = spawn(process.execPath, ['-e', SPIN], { stdio: 'ignore' });
  const sampler = sampleThreadCpu(child.pid!, 50);
  await new Promise((resolve) => child.on('close', resolve));
  const cpu = sampler.stop(1)!;
  assert.ok(cpu.trialSeconds >= 0.6, `the spinning thread got ${cpu.trialSeconds} s`);
  assert.ok(cpu.mainSeconds < cpu.trialSeconds / 2, `main ${cpu.mainSeconds} s vs worker ${cpu.trialSeconds} s`);
});
