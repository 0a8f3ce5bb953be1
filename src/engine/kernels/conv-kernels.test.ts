import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import { compareWithCpu, engineReady, randomArray } from '../testing';

const TOLERANCE = 1e-4;
type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

interface Case { x: number[]; filter: number[]; strides: [number, number]; pad: Pad; dilations?: [number, number] }

const PADS: Pad[] = ['same', 'valid', 1, [[0, 0], [1, 0], [2, 1], [0, 0]]];
const STRIDES: [number, number][] = [[1, 1], [2, 2], [1, 2], [3, 1]];
// [N, H, W, C] inputs with [KH, KW] windows; H = 1 covers conv1d, which tfjs runs as a height-1 conv2d.
const GEOMETRIES: { x: number[]; k: [number, number] }[] = [
  { x: [2, 7, 7, 3], k: [3, 3] },
  { x: [1, 8, 5, 4], k: [2, 3] },
  { x: [3, 1, 11, 2], k: [1, 3] },
  { x: [2, 6, 6, 5], k: [1, 1] },
  { x: [1, 9, 9, 2], k: [5, 5] },
];

function conv2dCases(outChannels: number): Case[] {
  const cases: Case[] = [];
  for (const { x, k } of GEOMETRIES) {
    for (const strides of STRIDES) {
      for (const pad of PADS) cases.push({ x, filter: [k[0], k[1], x[3], outChannels], strides, pad });
    }
  }
  return cases.filter(isValid);
}

function isValid(c: Case): boolean {
  try {
    const info = backend_util.computeConv2DInfo(
      c.x as [number, number, number, number], c.filter as [number, number, number, number],
      c.strides, c.dilations ?? 1, c.pad, 'floor');
    return info.outHeight > 0 && info.outWidth > 0;
  } catch {
    return false;
  }
}

function outShape(c: Case, depthwise = false): number[] {
  const info = backend_util.computeConv2DInfo(
    c.x as [number, number, number, number], c.filter as [number, number, number, number],
    c.strides, c.dilations ?? 1, c.pad, 'floor', depthwise);
  return info.outShape;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const label = (c: Case) => JSON.stringify(c);

test('Conv2DBackpropFilter matches cpu', async () => {
  await engineReady();
  const cases = conv2dCases(4);
  assert.ok(cases.length > 60);
  for (const [i, c] of cases.entries()) {
    const dyShape = outShape(c);
    const inputs = { x: { values: randomArray(size(c.x), i), shape: c.x }, dy: { values: randomArray(size(dyShape), 100 + i), shape: dyShape } };
    const err = await compareWithCpu(inputs, (t) => tf.engine().runKernel('Conv2DBackpropFilter', { x: t.x, dy: t.dy },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: 'floor', filterShape: c.filter }) as tf.Tensor);
    assert.ok(err <= TOLERANCE, `${label(c)}: relative error ${err}`);
  }
});

test('Conv2DBackpropInput matches cpu', async () => {
  await engineReady();
  for (const [i, c] of conv2dCases(3).entries()) {
    const dyShape = outShape(c);
    const inputs = { dy: { values: randomArray(size(dyShape), i), shape: dyShape }, filter: { values: randomArray(size(c.filter), 200 + i), shape: c.filter } };
    const err = await compareWithCpu(inputs, (t) => tf.engine().runKernel('Conv2DBackpropInput', { dy: t.dy, filter: t.filter },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: 'floor', inputShape: c.x }) as tf.Tensor);
    assert.ok(err <= TOLERANCE, `${label(c)}: relative error ${err}`);
  }
});

function depthwiseCases(): Case[] {
  const cases: Case[] = [];
  for (const { x, k } of GEOMETRIES) {
    for (const mult of [1, 2]) {
      for (const pad of PADS) {
        for (const strides of STRIDES) cases.push({ x, filter: [k[0], k[1], x[3], mult], strides, pad });
        cases.push({ x, filter: [k[0], k[1], x[3], mult], strides: [1, 1], pad, dilations: [2, 2] });
      }
    }
  }
  return cases.filter(isValid);
}

// The cpu depthwise gradients ignore dilations (tfjs's gradient never asks for them), so a dilated
// case is checked against cpu run on the equivalent zero-dilated filter with dilation 1.
test('DepthwiseConv2dNativeBackpropFilter matches cpu', async () => {
  await engineReady();
  for (const [i, c] of depthwiseCases().entries()) {
    const dyShape = outShape(c, true);
    const inputs = { x: { values: randomArray(size(c.x), i), shape: c.x }, dy: { values: randomArray(size(dyShape), 300 + i), shape: dyShape } };
    const d = c.dilations ?? [1, 1];
    const run = (filterShape: number[], dilations: [number, number]) => (t: Record<string, tf.Tensor>) =>
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: t.x, dy: t.dy },
        { strides: c.strides, pad: c.pad, dilations, dimRoundingMode: 'floor', filterShape }) as tf.Tensor;
    const reference = (t: Record<string, tf.Tensor>) =>
      tf.stridedSlice(run(dilatedShape(c.filter, d), [1, 1])(t), [0, 0, 0, 0], dilatedShape(c.filter, d), [d[0], d[1], 1, 1]);
    const err = await compareWithCpu(inputs, run(c.filter, d), reference);
    assert.ok(err <= TOLERANCE, `${label(c)}: relative error ${err}`);
  }
});

test('DepthwiseConv2dNativeBackpropInput matches cpu', async () => {
  await engineReady();
  for (const [i, c] of depthwiseCases().entries()) {
    const dyShape = outShape(c, true);
    const inputs = { dy: { values: randomArray(size(dyShape), i), shape: dyShape }, filter: { values: randomArray(size(c.filter), 400 + i), shape: c.filter } };
    const d = c.dilations ?? [1, 1];
    const run = (filter: (t: tf.Tensor) => tf.Tensor, dilations: [number, number]) => (t: Record<string, tf.Tensor>) =>
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: t.dy, filter: filter(t.filter) },
        { strides: c.strides, pad: c.pad, dilations, dimRoundingMode: 'floor', inputShape: c.x }) as tf.Tensor;
    const err = await compareWithCpu(inputs, run((f) => f, d), run((f) => dilateFilter(f, d), [1, 1]));
    assert.ok(err <= TOLERANCE, `${label(c)}: relative error ${err}`);
  }
});

function dilatedShape(filter: number[], [dh, dw]: [number, number]): number[] {
  return [(filter[0] - 1) * dh + 1, (filter[1] - 1) * dw + 1, filter[2], filter[3]];
}

/** The filter with (d - 1) zeros between taps: a dilated conv is a plain conv with it. */
function dilateFilter(f: tf.Tensor, d: [number, number]): tf.Tensor {
  const [kh, kw, c, m] = f.shape;
  const out = tf.buffer(dilatedShape(f.shape, d), 'float32');
  const src = f.arraySync() as number[][][][];
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let k = 0; k < c; k++) for (let l = 0; l < m; l++) out.set(src[i][j][k][l], i * d[0], j * d[1], k, l);
  return out.toTensor();
}

test('gradients of conv1d, conv2d, depthwise and separable convs match cpu end to end', async () => {
  await engineReady();
  const x = { values: randomArray(2 * 9 * 9 * 3, 1), shape: [2, 9, 9, 3] };
  const seq = { values: randomArray(2 * 12 * 3, 2), shape: [2, 12, 3] };
  const w = { values: randomArray(3 * 3 * 3 * 4, 3), shape: [3, 3, 3, 4] };
  const w1 = { values: randomArray(3 * 3 * 4, 4), shape: [3, 3, 4] };
  const dw = { values: randomArray(3 * 3 * 3 * 2, 5), shape: [3, 3, 3, 2] };
  const pw = { values: randomArray(6 * 5, 6), shape: [1, 1, 6, 5] };
  const grads: Record<string, (t: Record<string, tf.Tensor>) => tf.Tensor> = {
    conv2d: (t) => sumOfGrads(tf.grads((a, b) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))))([t.x, t.w])),
    conv1d: (t) => sumOfGrads(tf.grads((a, b) => tf.sum(tf.square(tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, 1, 'valid'))))([t.seq, t.w1])),
    depthwise: (t) => sumOfGrads(tf.grads((a, b) => tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))))([t.x, t.dw])),
    separable: (t) => sumOfGrads(tf.grads((a, b, c) => tf.sum(tf.square(tf.separableConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, 1, 'same'))))([t.x, t.dw, t.pw])),
  };
  for (const [name, f] of Object.entries(grads)) {
    const err = await compareWithCpu({ x, seq, w, w1, dw, pw }, f);
    assert.ok(err <= TOLERANCE, `${name}: relative error ${err}`);
  }
});

/** All gradients flattened into one tensor so one comparison covers them. */
function sumOfGrads(gs: tf.Tensor[]): tf.Tensor {
  return tf.concat(gs.map((g) => tf.reshape(g, [-1])));
}
