import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine, softwareAdapter } from './backend';
import { EngineError } from './errors';

function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

test('auto picks native TensorFlow when installed, else wasm, and says why', async () => {
  const info = await initEngine('auto');
  assert.equal(tf.getBackend(), info.backend);
  if (installed('@tensorflow/tfjs-node')) return;
  assert.equal(info.backend, 'wasm');
  assert.match(info.reason, /^wasm: @tensorflow\/tfjs-node (is not installed|failed to load)/);
});

test('an explicit backend that cannot load throws EngineError with advice', async (t) => {
  if (installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu')) return t.skip('tfjs-node is installed here');
  await assert.rejects(initEngine('tensorflow'), (e: unknown) =>
    e instanceof EngineError && /tfjs-node/.test(e.message) && /--backend wasm/.test(e.message));
});

test('explicit cpu and wasm load and stay selected', async () => {
  assert.deepEqual(await initEngine('cpu'), { backend: 'cpu', reason: 'cpu: chosen explicitly' });
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal((await initEngine('wasm')).backend, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
});

test('software WebGPU adapters are recognised', () => {
  assert.match(softwareAdapter({ isFallbackAdapter: true }) ?? '', /fallback/);
  assert.match(softwareAdapter({ info: { vendor: 'google', architecture: 'swiftshader' } }) ?? '', /swiftshader/);
  assert.equal(softwareAdapter({ info: { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA H100' } }), null);
});
