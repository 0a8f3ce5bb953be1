/**
 * Convolution geometry shared by the kernels, computed by tfjs itself (backend_util) so our
 * padding and output sizes always agree with the forward kernels.
 */
import { backend_util } from '@tensorflow/tfjs-core';
import { EngineError } from '../errors';

export type ConvInfo = backend_util.Conv2DInfo;
type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type Pair = [number, number] | number;

export interface ConvAttrs {
  strides: Pair;
  pad: Pad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: Pair;
}

/** Geometry of a conv2d (or depthwise, where filterShape is [kh, kw, c, multiplier]). */
export function convGeometry(
  kernelName: string, xShape: number[], filterShape: number[], attrs: ConvAttrs, depthwise = false,
): ConvInfo {
  const dataFormat = backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC');
  if (dataFormat !== 'channelsLast') {
    // The wasm forward convolutions are NHWC-only, so an NCHW gradient cannot arise from training.
    throw new EngineError(`${kernelName} on wasm supports NHWC only, got dataFormat ${attrs.dataFormat}`);
  }
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, depthwise, dataFormat);
}
