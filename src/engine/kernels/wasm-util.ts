/**
 * Small helpers shared by the wasm training kernels: heap views, calls to other wasm kernels,
 * and disposal of intermediates. Kernels work on TensorInfos, not Tensors, so nothing they make
 * is tracked by the engine; whatever is not returned must be disposed here.
 */
import { KernelBackend, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo, getKernel } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Original wasm kernels we override, kept so an override can fall back to them. */
const originals = new Map<string, KernelFunc>();

export function rememberOriginal(kernelName: string, fn: KernelFunc): void {
  originals.set(kernelName, fn);
}

export function forgetOriginal(kernelName: string): KernelFunc | undefined {
  const fn = originals.get(kernelName);
  originals.delete(kernelName);
  return fn;
}

/** The wasm implementation of a kernel, bypassing our override of it if there is one. */
export function wasmKernel(kernelName: string): KernelFunc {
  const fn = originals.get(kernelName) ?? getKernel(kernelName, 'wasm')?.kernelFunc;
  if (fn == null) throw new Error(`wasm kernel ${kernelName} is not registered`);
  return fn;
}

export function asWasm(backend: KernelBackend): BackendWasm {
  return backend as unknown as BackendWasm;
}

/** What our kernels receive: tfjs's KernelFunc arguments with the types we rely on. */
export interface WasmKernelArgs<I extends string, A> {
  inputs: Record<I, TensorInfo>;
  backend: BackendWasm;
  attrs: A;
}

/** Adapts a typed kernel to tfjs's loosely typed KernelFunc. */
export function wasmKernelFunc<I extends string, A>(fn: (args: WasmKernelArgs<I, A>) => TensorInfo): KernelFunc {
  return (args) => fn(args as unknown as WasmKernelArgs<I, A>);
}

/** Calls the original wasm kernel with the arguments our override received. */
export function callOriginal<I extends string, A>(kernelName: string, args: WasmKernelArgs<I, A>): TensorInfo {
  const raw = args as unknown as Parameters<KernelFunc>[0];
  return wasmKernel(kernelName)(raw) as TensorInfo;
}

/**
 * Runs wasm kernels and remembers their outputs so `dispose()` frees every intermediate.
 * Use `keep()` on the one result that leaves the kernel.
 */
export class Scratch {
  private readonly made: TensorInfo[] = [];
  private readonly views = new Set<TensorInfo>();
  constructor(readonly backend: BackendWasm) {}

  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const out = wasmKernel(kernelName)({ inputs, attrs, backend: this.backend as unknown as KernelBackend }) as TensorInfo;
    return this.track(out);
  }

  alloc(shape: number[], dtype: 'float32' | 'int32' = 'float32'): TensorInfo {
    return this.track(this.backend.makeOutput(shape, dtype));
  }

  /** A zero-copy tensor over part of another tensor's memory. */
  view(base: TensorInfo, offsetElements: number, shape: number[]): TensorInfo {
    const offset = this.backend.getMemoryOffset(base.dataId) + offsetElements * 4;
    const info = this.backend.makeOutput(shape, base.dtype, offset);
    this.views.add(info);
    return info;
  }

  track(info: TensorInfo): TensorInfo {
    this.made.push(info);
    return info;
  }

  keep(info: TensorInfo): TensorInfo {
    const i = this.made.indexOf(info);
    if (i >= 0) this.made.splice(i, 1);
    return info;
  }

  /** Frees one intermediate now rather than at dispose(), to bound memory inside loops. */
  release(info: TensorInfo): void {
    if (this.views.delete(info)) return this.unregisterView(info);
    const i = this.made.indexOf(info);
    if (i >= 0) this.made.splice(i, 1);
    this.backend.disposeData(info.dataId);
  }

  dispose(): void {
    for (const info of this.made) this.backend.disposeData(info.dataId);
    for (const info of this.views) this.unregisterView(info);
    this.made.length = 0;
    this.views.clear();
  }

  /** A view does not own its memory: unregister it without _free, which would corrupt the heap. */
  private unregisterView(info: TensorInfo): void {
    const id = this.backend.dataIdMap.get(info.dataId)?.id;
    if (id != null) this.backend.wasm.tfjs.disposeData(id);
    this.backend.dataIdMap.delete(info.dataId);
  }
}

/** Runs `body` with a Scratch and disposes its intermediates however `body` ends. */
export function withScratch<T>(backend: BackendWasm, body: (s: Scratch) => T): T {
  const scratch = new Scratch(backend);
  try {
    return body(scratch);
  } finally {
    scratch.dispose();
  }
}

/**
 * A Float32Array over a tensor's wasm memory. Take views only after the last allocation in a
 * kernel: an allocation may grow wasm memory, which detaches every earlier view.
 */
export function f32(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

export function i32(backend: BackendWasm, info: TensorInfo): Int32Array {
  return backend.typedArrayFromHeap(info) as Int32Array;
}
