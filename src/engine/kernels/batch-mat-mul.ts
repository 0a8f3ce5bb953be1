/**
 * BatchMatMul and _FusedMatMul overrides for wasm. tfjs's wasm matMul reaches XNNPACK only for a
 * single (batch 1) product without transposes; anything else falls to a scalar loop that is 10-15x
 * slower. Gradients always ask for a transpose (dA = dy·Bᵀ, dB = Aᵀ·dy), so we transpose the
 * operand explicitly and split batches into zero-copy views, which keeps every product on XNNPACK.
 */
import { BatchMatMul, BatchMatMulAttrs, KernelBackend, KernelConfig, NamedAttrMap, TensorInfo, _FusedMatMul, _FusedMatMulAttrs, util } from '@tensorflow/tfjs-core';
import { Scratch, callOriginal, f32, wasmKernel, wasmKernelFunc, withScratch } from './wasm-util';

/** Below this many multiply-adds the scalar path beats paying for a transpose. */
const SMALL_PRODUCT = 32 * 1024;

export const batchMatMul = wasmKernelFunc<'a' | 'b', BatchMatMulAttrs>((args) => {
  const { a, b } = args.inputs;
  const { transposeA, transposeB } = args.attrs;
  const plain = !transposeA && !transposeB && batchOf(a) === 1 && batchOf(b) === 1;
  if (plain || isSmall(a, b, transposeB) || !canSplitBatches(a, b)) return callOriginal(BatchMatMul, args);
  return withScratch(args.backend, (s) => {
    const a2 = transposeA ? swapLastTwo(s, a) : a;
    const b2 = transposeB ? swapLastTwo(s, b) : b;
    return s.keep(batchedProduct(s, a2, b2));
  });
});

export const fusedMatMul = wasmKernelFunc<'a' | 'b' | 'bias' | 'preluActivationWeights', _FusedMatMulAttrs>((args) => {
  const { a, b } = args.inputs;
  const attrs = args.attrs;
  if (!attrs.transposeA && !attrs.transposeB) return callOriginal(_FusedMatMul, args);
  return withScratch(args.backend, (s) => {
    const inputs = {
      ...args.inputs,
      a: attrs.transposeA ? swapLastTwo(s, a) : a,
      b: attrs.transposeB ? swapLastTwo(s, b) : b,
    };
    const plain = { ...attrs, transposeA: false, transposeB: false } as unknown as NamedAttrMap;
    const backend = args.backend as unknown as KernelBackend;
    return wasmKernel(_FusedMatMul)({ inputs, backend, attrs: plain }) as TensorInfo;
  });
});

function batchOf(t: TensorInfo): number {
  return util.sizeFromShape(t.shape.slice(0, -2));
}

function isSmall(a: TensorInfo, b: TensorInfo, transposeB: boolean): boolean {
  const n = b.shape[b.shape.length - (transposeB ? 2 : 1)];
  const macs = Math.max(batchOf(a), batchOf(b)) * util.sizeFromShape(a.shape.slice(-2)) * n;
  return macs <= SMALL_PRODUCT;
}

/** Views need batches laid out alike: same outer shape, or one side with no batch at all. */
function canSplitBatches(a: TensorInfo, b: TensorInfo): boolean {
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  return batchOf(a) === 1 || batchOf(b) === 1 || util.arraysEqual(outerA, outerB);
}

function swapLastTwo(s: Scratch, t: TensorInfo): TensorInfo {
  const rank = t.shape.length;
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return s.run('Transpose', { x: t }, { perm });
}

/** a [..., m, k] · b [..., k, n], one XNNPACK product per batch. */
function batchedProduct(s: Scratch, a: TensorInfo, b: TensorInfo): TensorInfo {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  const outer = batchOf(a) === 1 ? b.shape.slice(0, -2) : a.shape.slice(0, -2);
  const outShape = [...outer, m, n];
  const batch = util.sizeFromShape(outer);
  if (batch === 1) {
    const product = plainProduct(s, s.view(a, 0, [m, k]), s.view(b, 0, [k, n]));
    return s.run('Reshape', { x: product }, { shape: outShape });
  }
  const out = s.alloc(outShape);
  for (let i = 0; i < batch; i++) {
    const ai = s.view(a, batchOf(a) === 1 ? 0 : i * m * k, [m, k]);
    const bi = s.view(b, batchOf(b) === 1 ? 0 : i * k * n, [k, n]);
    const product = plainProduct(s, ai, bi);
    f32(s.backend, out).set(f32(s.backend, product), i * m * n);
    s.release(product);
    s.release(ai);
    s.release(bi);
  }
  return out;
}

function plainProduct(s: Scratch, a: TensorInfo, b: TensorInfo): TensorInfo {
  const attrs = { transposeA: false, transposeB: false };
  return s.track(wasmKernel(BatchMatMul)({ inputs: { a, b }, backend: s.backend as unknown as KernelBackend, attrs }) as TensorInfo);
}

export const batchMatMulConfig: KernelConfig = { kernelName: BatchMatMul, backendName: 'wasm', kernelFunc: batchMatMul };
export const fusedMatMulConfig: KernelConfig = { kernelName: _FusedMatMul, backendName: 'wasm', kernelFunc: fusedMatMul };
