import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { compareWithCpu, engineReady, randomArray, seededRandom } from '../testing';

const TOLERANCE = 1e-4;
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Values on a coarse grid after relu, so pooling windows hold ties (all-zero windows above all). */
function tiedInput(shape: number[], seed: number): Float32Array {
  return randomArray(size(shape), seed).map((v) => Math.max(0, Math.round(v * 3) / 3));
}

test('MaxPool and MaxPoolGrad match cpu, ties included', async () => {
  await engineReady();
  const pads: (backend_util.ExplicitPadding | 'same' | 'valid' | number)[] = ['valid', 'same', 1];
  let i = 0;
  for (const x of [[2, 8, 8, 3], [1, 7, 9, 5], [3, 1, 10, 2]]) {
    for (const filter of [[2, 2], [3, 3], [1, 3]] as [number, number][]) {
      for (const strides of [[2, 2], [1, 1], [3, 2]] as [number, number][]) {
        for (const pad of pads) {
          const info = backend_util.computePool2DInfo(x as [number, number, number, number], filter, strides, 1, pad, 'floor');
          if (info.outHeight <= 0 || info.outWidth <= 0 || (typeof pad === 'number' && pad >= Math.min(...filter))) continue;
          const inputs = { x: { values: tiedInput(x, i), shape: x }, dy: { values: randomArray(size(info.outShape), 500 + i), shape: info.outShape } };
          const rounding = typeof pad === 'number' ? 'floor' : undefined;
          const err = await compareWithCpu(inputs, (t) => {
            const y = tf.maxPool(t.x as tf.Tensor4D, filter, strides, pad as 'same', rounding);
            const dx = tf.engine().runKernel('MaxPoolGrad', { dy: t.dy, input: t.x, output: y },
              { filterSize: filter, strides, pad, ...(rounding ? { dimRoundingMode: rounding } : {}) }) as tf.Tensor;
            // The forward pool too: some of these geometries take our guard in max-pool.ts.
            return tf.concat([tf.reshape(y, [-1]), tf.reshape(dx, [-1])]);
          });
          assert.ok(err <= TOLERANCE, `x ${x} filter ${filter} strides ${strides} pad ${pad}: relative error ${err}`);
          i++;
        }
      }
    }
  }
  assert.ok(i > 40);
});

test('UnsortedSegmentSum matches cpu, out-of-range ids dropped', async () => {
  await engineReady();
  for (const [rows, inner, segments] of [[10, [4], 3], [50, [2, 3], 7], [7, [], 4], [200, [16], 50]] as [number, number[], number][]) {
    const next = seededRandom(rows);
    const ids = Int32Array.from({ length: rows }, () => Math.floor(next() * (segments + 2)) - 1);
    const inputs = { x: { values: randomArray(rows * size(inner), rows), shape: [rows, ...inner] }, ids: { values: ids, shape: [rows] } };
    const err = await compareWithCpu(inputs, (t) => tf.unsortedSegmentSum(t.x, t.ids as tf.Tensor1D, segments));
    assert.ok(err <= TOLERANCE, `rows ${rows} inner ${inner}: relative error ${err}`);
  }
});

test('gather (embedding) gradient matches cpu', async () => {
  await engineReady();
  const ids = Int32Array.from({ length: 40 }, (_, i) => (i * 7) % 13);
  const inputs = { table: { values: randomArray(13 * 6, 1), shape: [13, 6] }, ids: { values: ids, shape: [5, 8] } };
  const err = await compareWithCpu(inputs, (t) => tf.grad((table) => tf.sum(tf.square(tf.gather(table, t.ids))))(t.table));
  assert.ok(err <= TOLERANCE, `relative error ${err}`);
});

test('BatchMatMul and _FusedMatMul match cpu for every transpose and batch layout', async () => {
  await engineReady();
  const layouts: [number[], number[]][] = [[[], []], [[3], [3]], [[2, 3], [2, 3]], [[4], []], [[], [4]], [[1], [3]]];
  let seed = 0;
  for (const [outerA, outerB] of layouts) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        const [m, k, n] = [37, 41, 43];
        const aShape = [...outerA, ...(transposeA ? [k, m] : [m, k])];
        const bShape = [...outerB, ...(transposeB ? [n, k] : [k, n])];
        const inputs = { a: { values: randomArray(size(aShape), seed++), shape: aShape }, b: { values: randomArray(size(bShape), seed++), shape: bShape } };
        const err = await compareWithCpu(inputs, (t) => tf.matMul(t.a, t.b, transposeA, transposeB));
        assert.ok(err <= TOLERANCE, `a ${aShape} b ${bShape} tA ${transposeA} tB ${transposeB}: relative error ${err}`);
        if (outerA.length > 0 || outerB.length > 0) continue;
        const bias = { values: randomArray(n, seed++), shape: [n] };
        const fusedErr = await compareWithCpu({ ...inputs, bias }, (t) =>
          tf.fused.matMul({ a: t.a, b: t.b, transposeA, transposeB, bias: t.bias, activation: 'relu' }));
        assert.ok(fusedErr <= TOLERANCE, `fused tA ${transposeA} tB ${transposeB}: relative error ${fusedErr}`);
      }
    }
  }
});

test('Sum over leading axes (bias gradients) matches cpu', async () => {
  await engineReady();
  const cases: [number[], number[], boolean][] = [
    [[32, 16, 16, 8], [0, 1, 2], false], [[8, 30, 70], [0, 1], true], [[4099, 5], [0], false], [[64, 64, 4], [0], false], [[16, 32, 33], [1, 2], false],
  ];
  for (const [i, [shape, axis, keepDims]] of cases.entries()) {
    const err = await compareWithCpu({ x: { values: randomArray(size(shape), i), shape } }, (t) => tf.sum(t.x, axis, keepDims));
    assert.ok(err <= TOLERANCE, `shape ${shape} axis ${axis}: relative error ${err}`);
  }
});

test('Equal with broadcasting matches cpu', async () => {
  await engineReady();
  const pairs: [number[], number[]][] = [[[32, 60, 64], [32, 1, 64]], [[5, 7], [7]], [[4, 1, 3], [1, 6, 1]], [[9], [9]], [[2, 3], []]];
  for (const [i, [sa, sb]] of pairs.entries()) {
    // Coarse values so that some elements are equal.
    const a = randomArray(size(sa), i).map((v) => Math.round(v * 2));
    const b = randomArray(size(sb), 50 + i).map((v) => Math.round(v * 2));
    const err = await compareWithCpu({ a: { values: a, shape: sa }, b: { values: b, shape: sb } }, (t) => tf.cast(tf.equal(t.a, t.b), 'float32'));
    assert.equal(err, 0, `${sa} vs ${sb}`);
  }
});

test('GatherV2 matches cpu for axes and batch dims', async () => {
  await engineReady();
  const table = { values: randomArray(6 * 10 * 12, 3), shape: [6, 10, 12] };
  const cases: { ids: number[]; idShape: number[]; axis: number; batchDims: number }[] = [
    { ids: [0, 5, 5, 2], idShape: [4], axis: 0, batchDims: 0 },
    { ids: [9, 0, 3, 3, 1, 8], idShape: [2, 3], axis: 1, batchDims: 0 },
    { ids: Array.from({ length: 12 }, (_, i) => i % 10), idShape: [6, 2], axis: 1, batchDims: 1 },
    { ids: [11, 0], idShape: [2], axis: 2, batchDims: 0 },
  ];
  for (const c of cases) {
    const inputs = { x: table, ids: { values: Int32Array.from(c.ids), shape: c.idShape } };
    const err = await compareWithCpu(inputs, (t) => tf.gather(t.x, t.ids, c.axis, c.batchDims));
    assert.equal(err, 0, JSON.stringify(c));
  }
});

test('Tile matches cpu for every axis pattern and dtype', async () => {
  await engineReady();
  const cases: [number[], number[]][] = [
    [[1, 1, 1, 16], [32, 8, 8, 1]], [[3, 4], [2, 3]], [[5], [4]], [[2, 1, 3], [1, 5, 1]], [[2, 3, 4], [1, 1, 1]], [[4, 2], [1, 3]], [[2, 2, 2, 2], [2, 1, 3, 2]],
  ];
  for (const [i, [shape, reps]] of cases.entries()) {
    const floats = { x: { values: randomArray(size(shape), i), shape } };
    assert.equal(await compareWithCpu(floats, (t) => tf.tile(t.x, reps)), 0, `float32 ${shape} x ${reps}`);
    const ints = { x: { values: Int32Array.from(floats.x.values, (v) => Math.round(v * 100)), shape } };
    assert.equal(await compareWithCpu(ints, (t) => tf.cast(tf.tile(t.x, reps), 'float32')), 0, `int32 ${shape} x ${reps}`);
    assert.equal(await compareWithCpu(floats, (t) => tf.cast(tf.tile(tf.greater(t.x, 0), reps), 'float32')), 0, `bool ${shape} x ${reps}`);
  }
});

test('Identity shares the buffer, and the clone outlives its source', async () => {
  await engineReady();
  await tf.setBackend('wasm');
  const buffers = tf.backend().numDataIds();
  const x = tf.tensor([1, 2, 3]);
  const y = tf.clone(x);
  assert.equal(tf.backend().numDataIds(), buffers + 1);
  x.dispose();
  assert.deepEqual([...y.dataSync()], [1, 2, 3]);
  y.dispose();
  assert.equal(tf.backend().numDataIds(), buffers);
});

test('kernels free every intermediate wasm buffer', async () => {
  await engineReady();
  await tf.setBackend('wasm');
  const x = tf.randomNormal([2, 9, 9, 4]);
  const w = tf.randomNormal([3, 3, 4, 5]);
  const dw = tf.randomNormal([3, 3, 4, 2]);
  const tokens = tf.tensor2d([[1, 2, 3], [3, 2, 1]], undefined, 'int32');
  const table = tf.randomNormal([5, 16]);
  const run = () => tf.tidy(() => [
    tf.grads((a, b) => tf.sum(tf.maxPool(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), 2, 2, 'valid')))([x, w]),
    tf.grads((a, b) => tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))([x, dw]),
    tf.grad((t) => tf.sum(tf.gather(t, tokens)))(table),
    tf.matMul(tf.randomNormal([3, 64, 40]), tf.randomNormal([3, 50, 64]), true, true),
    tf.sum(tf.randomNormal([64, 32, 16]), [0, 1]),
    tf.equal(tf.randomNormal([8, 40, 16]), tf.randomNormal([8, 1, 16])),
    tf.tile(tf.randomNormal([1, 3, 1]), [4, 2, 5]),
  ].flat());
  tf.dispose(run());
  const buffers = tf.backend().numDataIds();
  tf.dispose(run());
  assert.equal(tf.backend().numDataIds(), buffers);
  tf.dispose([x, w, dw, tokens, table]);
});
