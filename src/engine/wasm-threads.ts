/**
 * Multi-threaded wasm in Node. tfjs-backend-wasm ships a threaded XNNPACK build (emscripten
 * pthreads) but turns it off in Node (tensorflow/tfjs#3830) for two reasons this module removes:
 *  - it hands emscripten its pthread script and main script as Blobs, and Node's worker_threads
 *    cannot start a Worker from a blob: URL nor `importScripts` one. The package also ships both
 *    scripts as files (wasm-out/), so a Worker subclass swaps the blobs for them;
 *  - its thread count is capped at half the logical cores ("x86 has 2 threads per core"), which
 *    on a 2-vCPU VM means one thread. emscripten reads the core count once, from `os.cpus()`,
 *    while the module starts, so the count is shown doubled for exactly that moment.
 * Both patches are undone as soon as the backend has started.
 */
import * as path from 'node:path';
import type { TransferListItem, WorkerOptions } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';

// The modules themselves, not import-namespace copies: emscripten reads their properties at call time.
const os = require('node:os') as { cpus: typeof import('node:os').cpus };
const workerThreads = require('node:worker_threads') as { Worker: typeof import('node:worker_threads').Worker };

type WasmPackage = typeof import('@tensorflow/tfjs-backend-wasm');

const PACKAGE_DIR = () => path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));

/**
 * Starts the already-registered 'wasm' backend with `threads` XNNPACK threads (threads > 1), and
 * returns the count it really got. Must run before anything else initialises the wasm backend.
 */
export async function startThreadedWasm(wasm: WasmPackage, threads: number): Promise<number> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  const undo = [patchWorker(), patchCoreCount(2 * threads)];
  try {
    if (!(await tf.setBackend('wasm'))) return 0;
    await tf.ready();
  } finally {
    for (const restore of undo) restore();
  }
  settlePthreads();
  return wasm.getThreadsCount();
}

interface PthreadWorker { unref(): void; terminate(): unknown }
interface PthreadRegistry { unusedWorkers: PthreadWorker[]; runningWorkers: PthreadWorker[] }

/**
 * XNNPACK's pool threads wait forever for work, and emscripten ref()s a Node worker while its
 * thread runs, so a finished CLI would never exit: nothing waits on them once a kernel returns.
 * emscripten also starts 8 workers up front whatever the thread count; XNNPACK's pool, made at
 * start-up, is all that uses them, so the spare ones (~10 MB each) are stopped.
 */
function settlePthreads(): void {
  const module = (tf.backend() as unknown as { wasm: { PThread?: PthreadRegistry } }).wasm;
  const pthreads = module.PThread;
  if (pthreads == null) return;
  for (const worker of pthreads.runningWorkers) worker.unref();
  for (const spare of pthreads.unusedWorkers.splice(0)) void spare.terminate();
}

/** Workers for emscripten's pthreads, started from the files that the blob: URLs stand for. */
function patchWorker(): () => void {
  const dir = path.join(PACKAGE_DIR(), 'wasm-out');
  const { wasmWorkerContents } = require(path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  // The package's own escaping: a "\n" inside the script's string literals must stay two characters.
  const workerScript = wasmWorkerContents.replace(/\n/g, '\\n');
  const mainScript = path.join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  const Original = workerThreads.Worker;
  class PthreadWorker extends Original {
    constructor(filename: string | URL, options?: WorkerOptions) {
      const blob = typeof filename === 'string' && filename.startsWith('blob:');
      super(blob ? workerScript : filename, blob ? { ...options, eval: true } : options);
    }

    // The 'load' message carries the main script as a Blob for importScripts; give it the file.
    override postMessage(message: unknown, transfer?: readonly TransferListItem[]): void {
      const load = message as { cmd?: string; urlOrBlob?: unknown } | null;
      if (load?.cmd === 'load' && typeof load.urlOrBlob !== 'string') message = { ...load, urlOrBlob: mainScript };
      super.postMessage(message, transfer);
    }
  }
  setWorker(PthreadWorker);
  return () => setWorker(Original);
}

function setWorker(worker: typeof workerThreads.Worker): void {
  workerThreads.Worker = worker;
}

/** Makes `os.cpus().length` read `count` until the returned function is called. */
function patchCoreCount(count: number): () => void {
  const cpus = os.cpus;
  os.cpus = () => {
    const real = cpus();
    return Array.from({ length: count }, (_, i) => real[i % real.length]);
  };
  return () => { os.cpus = cpus; };
}
