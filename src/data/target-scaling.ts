/**
 * Regression targets in one module (Ludwig's number feature, output side): what is learned from the
 * training rows, the forward transform the loss trains on, its inverse in JS (scores) and in tf ops
 * (batch metrics), and the fixed layers that put the inverse into an exported graph, so a saved model
 * outputs values in the target's own units with no automm code.
 *
 * Why: a head in grams or dollars trained on raw values has a loss ~10^6 times a classification
 * head's, so a multi-task objective is that head alone, and its own fit is poor (Adam's steps are
 * sized for unit-scale outputs). Standardised targets put every head's loss near 1.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Sym } from '../blocks/block';

/** As a head writes it: auto picks log for strongly right-skewed non-negative targets, else standard. */
export const TARGET_SCALINGS = ['auto', 'standard', 'log', 'none'] as const;
export type TargetScalingSetting = (typeof TARGET_SCALINGS)[number];

/** What preprocessing.json keeps for a regression head (absent: the model is trained on raw values). */
export interface TargetScaling {
  /** log: log1p(y) is standardised instead of y (money, counts: errors become relative). */
  transform: 'standard' | 'log';
  mean: number;
  std: number;
  /**
   * log only: the largest log1p(y) of the training rows. Above it the inverse continues along the
   * tangent of exp instead of growing exponentially, so one wild output cannot predict 10^30 dollars.
   */
  cap?: number;
}

/**
 * Skewness above which auto takes the log: 1 is the usual "highly skewed" threshold (Bulmer), and
 * the log must also make the distribution more symmetric than it was.
 */
const SKEW_FOR_LOG = 1;

function moments(values: ArrayLike<number>): { mean: number; std: number; skew: number } {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let m2 = 0, m3 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  return { mean, std: Math.sqrt(m2), skew: m2 > 0 ? m3 / m2 ** 1.5 : 0 };
}

/** A constant target still gets a usable scale: std 1 keeps the output in the target's units. */
const safeStd = (std: number) => (std > 0 && Number.isFinite(std) ? std : 1);

/** The scaling learned from training values, or a message when the setting cannot apply to them. */
export function fitTargetScaling(values: ArrayLike<number>, setting: TargetScalingSetting): TargetScaling | undefined | string {
  if (setting === 'none' || values.length === 0) return undefined;
  let min = Infinity;
  for (let i = 0; i < values.length; i++) min = Math.min(min, values[i]);
  const logs = Float64Array.from(values as ArrayLike<number>, Math.log1p);
  const raw = moments(values);
  if (setting === 'log' && min < 0) return `target_scaling: log needs values >= 0; the training rows hold ${min}`;
  const useLog = setting === 'log' || (setting === 'auto' && min >= 0 && raw.skew > SKEW_FOR_LOG && Math.abs(moments(logs).skew) < raw.skew);
  if (!useLog) return { transform: 'standard', mean: raw.mean, std: safeStd(raw.std) };
  const l = moments(logs);
  return { transform: 'log', mean: l.mean, std: safeStd(l.std), cap: logs.reduce((a, b) => Math.max(a, b), -Infinity) };
}

/** Original units -> what the model is trained to output. */
export function forwardValue(s: TargetScaling, y: number): number {
  return ((s.transform === 'log' ? Math.log1p(Math.max(y, 0)) : y) - s.mean) / s.std;
}

/** What the model outputs -> original units, exactly as the exported layers compute it. */
export function inverseValue(s: TargetScaling, z: number): number {
  const y = z * s.std + s.mean;
  if (s.transform !== 'log') return y;
  const cap = s.cap!;
  return y < cap ? Math.expm1(y) : Math.exp(cap) * (1 + y - cap) - 1;
}

export function forwardTensor(s: TargetScaling, y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.div(tf.sub(s.transform === 'log' ? tf.log1p(tf.relu(y)) : y, s.mean), s.std));
}

export function inverseTensor(s: TargetScaling, z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const y = tf.add(tf.mul(z, s.std), s.mean);
    if (s.transform !== 'log') return y;
    const cap = s.cap!;
    const below = tf.expm1(tf.minimum(y, cap));
    const above = tf.sub(tf.mul(tf.add(tf.sub(y, cap), 1), Math.exp(cap)), 1);
    return tf.where(tf.less(y, cap), below, above);
  });
}

/** The head's trained output layer is named this in an exported graph; the last fixed layer takes the head's name. */
export const standardisedName = (head: string) => `${head}_standardised`;

/** The name of the trained layer an exported layer's weights come from (see graph/build copyWeights). */
export const trainedLayerName = (exported: string) => exported.replace(/_standardised$/, '');

const logShiftName = (head: string) => `${head}_log_shift`;

/**
 * The layers rescaleLayers adds for a head: they hold constants of their own, and the last takes
 * the name the trained output layer has in a training graph, so weights are never copied by it.
 */
export const rescaleLayerNames = (head: string) => [head, logShiftName(head)];

/** A dense layer that multiplies each unit by `scale` and adds `shift`: fixed, not trained. */
function fixedAffine(x: Sym, units: number, scale: number, shift: number, name: string, activation?: 'elu'): Sym {
  const kernel = tf.tidy(() => tf.mul(tf.eye(units), scale)) as tf.Tensor2D;
  const bias = tf.fill([units], shift);
  const layer = tfl.layers.dense({ units, activation: activation ?? 'linear', trainable: false, weights: [kernel, bias], name });
  const out = layer.apply(x) as Sym;
  tf.dispose([kernel, bias]);
  return out;
}

/**
 * The inverse as standard tfjs layers, ending in a layer named `head`. standard: one dense layer
 * (y = z * std + mean). log: expm1 from layers tfjs has, without a custom layer: elu(y - cap) is
 * exp(y - cap) - 1 below the cap (linear above it), so exp(cap) * elu(y - cap) + exp(cap) - 1 is
 * expm1(y) below the cap and its tangent above. Float32 rounding costs ~1e-7 of exp(cap) absolute.
 */
export function rescaleLayers(x: Sym, units: number, s: TargetScaling, head: string): Sym {
  if (s.transform !== 'log') return fixedAffine(x, units, s.std, s.mean, head);
  const shifted = fixedAffine(x, units, s.std, s.mean - s.cap!, logShiftName(head), 'elu');
  const e = Math.exp(s.cap!);
  return fixedAffine(shifted, units, e, e - 1, head);
}
