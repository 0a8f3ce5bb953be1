/**
 * Backend selection for training. Native TensorFlow (tfjs-node) is fastest when it installs; it is
 * an optional dependency that often does not, so `auto` falls back to wasm (with our training
 * kernels) and then to the pure-JS cpu backend, ~100x slower on convolutions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_CHOICES } from './choices';
import { EngineError } from './errors';
import { registerWasmTrainingKernels } from './kernels/registry';
import { startThreadedWasm } from './wasm-threads';
import { registerGradientOverrides } from './gradients';

/** 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu', from the list the spec schema also uses. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface EngineInfo {
  /** The tfjs backend now active: 'tensorflow', 'wasm', 'cpu' or 'webgpu'. */
  backend: string;
  /** Why this backend, e.g. "wasm: @tensorflow/tfjs-node is not installed". */
  reason: string;
}

/** GPU build first: when both are installed the user asked for the GPU one on purpose. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

export interface EngineOptions {
  /**
   * CPU threads for wasm's XNNPACK (native TensorFlow sizes its own pool). Default 1: a second
   * thread speeds up large convolutions (~1.4x on the bench's conv step) but slows models of many
   * small ops (a GRU step takes 2x as long), and searches already use the cores through workers.
   */
  threads?: number;
}

export async function initEngine(choice: BackendChoice, options: EngineOptions = {}): Promise<EngineInfo> {
  // Production mode: no debug checks in the hot loop, and no "install tfjs-node" banner on stdout.
  tf.enableProdMode();
  registerGradients();
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  switch (choice) {
    case 'auto': return initAuto(threads);
    case 'tensorflow': return initNative((why) => { throw new EngineError(`backend "tensorflow" is unavailable: ${why}. Install @tensorflow/tfjs-node, or use --backend wasm`); });
    case 'wasm': return { backend: 'wasm', reason: `wasm: chosen explicitly${await initWasm(threads)}` };
    case 'cpu': return { backend: await initCpu(), reason: 'cpu: chosen explicitly' };
    case 'webgpu': return { backend: await initWebGpu(), reason: 'webgpu: chosen explicitly' };
    default: throw new EngineError(`unknown backend "${String(choice)}"; expected one of ${BACKEND_CHOICES.join(', ')}`);
  }
}

/** Native TensorFlow (GPU, then CPU), then webgpu on a real GPU, then wasm, then cpu. */
async function initAuto(threads: number): Promise<EngineInfo> {
  const native = await initNative((why) => why);
  if (typeof native !== 'string') return native;
  let gpu = 'webgpu: no GPU device on this machine';
  if (mayHaveGpu()) {
    try {
      return { backend: await initWebGpu(), reason: `webgpu: ${native}; a GPU adapter was found` };
    } catch (e) {
      gpu = messageOf(e).replace(/^backend "webgpu" (is unavailable|refused): /, 'webgpu: ');
    }
  }
  try {
    return { backend: 'wasm', reason: `wasm: ${native}; ${gpu}${await initWasm(threads)}` };
  } catch (e) {
    return { backend: await initCpu(), reason: `cpu: ${native}; ${gpu}; wasm failed: ${messageOf(e)}` };
  }
}

/**
 * tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle registers all of them.
 * Training always goes through layers, but loading it here makes the engine usable on its own.
 */
function registerGradients(): void {
  require('@tensorflow/tfjs-layers');
  registerGradientOverrides();
}

/**
 * On Linux a GPU shows as a device node; without one, asking Dawn for an adapter only prints
 * Vulkan warnings, so auto does not ask. Other systems are asked.
 */
function mayHaveGpu(): boolean {
  if (process.platform !== 'linux') return true;
  return ['/dev/nvidiactl', '/dev/dri'].some((p) => fs.existsSync(p));
}

/** Loads the first native package that works; otherwise returns onMissing(why). */
async function initNative<T>(onMissing: (why: string) => T): Promise<EngineInfo | T> {
  const problems: string[] = [];
  for (const name of NATIVE_PACKAGES) {
    const loaded = tryRequire(name);
    if (loaded.ok && (await tf.setBackend('tensorflow'))) {
      await tf.ready();
      return { backend: 'tensorflow', reason: `tensorflow: ${name} is installed` };
    }
    problems.push(loaded.ok ? `${name} loaded but its backend did not start` : loaded.why);
  }
  // A package that is installed but broken says more than the absence of the other one; failing
  // that, the CPU package is the one people install, so its absence is the useful message.
  return onMissing(problems.find((p) => !p.endsWith('is not installed')) ?? problems[problems.length - 1]);
}

/** Starts wasm (threaded XNNPACK when threads > 1) and says how many threads it runs, e.g. "; 2 threads". */
async function initWasm(threads: number): Promise<string> {
  const loaded = tryRequire('@tensorflow/tfjs-backend-wasm');
  if (!loaded.ok) throw new EngineError(`backend "wasm" is unavailable: ${loaded.why}`);
  const wasm = loaded.module as typeof import('@tensorflow/tfjs-backend-wasm');
  const fresh = !(('wasm') in tf.engine().registry);
  if (fresh) {
    // Point at the package's own binaries by absolute path so a bundled or relocated CLI still finds them.
    wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + path.sep);
  }
  // A threaded start that fails (no SharedArrayBuffer, say) leaves the single-threaded build to try.
  let started = fresh && threads > 1 && (await startThreadedWasm(wasm, threads)) > 0;
  if (!started) {
    if (fresh) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    started = await tf.setBackend('wasm');
  }
  if (!started) throw new EngineError('backend "wasm" failed to initialise (see the warning above)');
  await tf.ready();
  registerWasmTrainingKernels();
  const actual = wasm.getThreadsCount();
  return actual > 1 ? `; ${actual} threads` : '';
}

async function initCpu(): Promise<string> {
  const loaded = tryRequire('@tensorflow/tfjs-backend-cpu');
  if (!loaded.ok) throw new EngineError(`backend "cpu" is unavailable: ${loaded.why}`);
  if (!(await tf.setBackend('cpu'))) throw new EngineError('backend "cpu" failed to initialise');
  await tf.ready();
  return 'cpu';
}

/** WebGPU through Dawn's node bindings (the `webgpu` package); refuses software adapters. */
async function initWebGpu(): Promise<string> {
  const dawn = tryRequire('webgpu');
  if (!dawn.ok) throw new EngineError(`backend "webgpu" is unavailable: ${dawn.why}`);
  const gpu = (dawn.module as { create(flags: string[]): GpuLike }).create([]);
  const adapter = await gpu.requestAdapter();
  if (adapter == null) throw new EngineError('backend "webgpu" is unavailable: no GPU adapter found');
  const software = softwareAdapter(adapter);
  if (software != null) throw new EngineError(`backend "webgpu" refused: the adapter is ${software}, slower than wasm; use --backend wasm`);
  Object.assign(globalThis, { navigator: { ...(globalThis as { navigator?: object }).navigator, gpu } });
  const backend = tryRequire('@tensorflow/tfjs-backend-webgpu');
  if (!backend.ok) throw new EngineError(`backend "webgpu" is unavailable: ${backend.why}`);
  if (!(await tf.setBackend('webgpu'))) throw new EngineError('backend "webgpu" failed to initialise');
  await tf.ready();
  return 'webgpu';
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; device?: string };
}
interface GpuLike { requestAdapter(): Promise<GpuAdapterLike | null> }

/** Describes the adapter when it is a CPU emulation (SwiftShader, llvmpipe), else null. */
export function softwareAdapter(adapter: GpuAdapterLike): string | null {
  if (adapter.isFallbackAdapter) return 'a fallback (software) adapter';
  const info = adapter.info ?? {};
  const text = [info.vendor, info.architecture, info.description, info.device].join(' ').toLowerCase();
  const hit = ['swiftshader', 'llvmpipe', 'lavapipe', 'cpu'].find((word) => text.includes(word));
  return hit == null ? null : `a software adapter (${hit})`;
}

type Required = { ok: true; module: unknown } | { ok: false; why: string };

/** require() for optional packages: "not installed" and "failed to load" are different advice. */
function tryRequire(name: string): Required {
  try {
    return { ok: true, module: require(name) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'MODULE_NOT_FOUND' && err.message.includes(`'${name}'`)) return { ok: false, why: `${name} is not installed` };
    return { ok: false, why: `${name} failed to load: ${messageOf(e).split('\n')[0]}` };
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** False once the engine has aborted (wasm, after a failed allocation): every later call would fail too. */
export function engineAlive(): boolean {
  try {
    tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync());
    return true;
  } catch {
    return false;
  }
}

/** Tensors and bytes held by the active backend: compare two reports to spot leaks. */
export function memoryReport(): { backend: string; numTensors: number; numBytes: number } {
  const m = tf.memory();
  return { backend: tf.getBackend(), numTensors: m.numTensors, numBytes: m.numBytes };
}
