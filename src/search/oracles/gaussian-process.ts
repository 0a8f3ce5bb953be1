/**
 * A small Gaussian process (Rasmussen & Williams, algorithm 2.1): Matern 5/2 kernel over the
 * distances of encoding.ts, a plain Cholesky solve. A search has tens of trials, so O(n^3) is free.
 */
import { Point, distance2 } from './encoding';

export interface Posterior {
  mean: number;
  sd: number;
}

export interface Gp {
  /** Posterior of the (standardised) objective at a point: what expected improvement reads. */
  predict(x: Point): Posterior;
  /** The best observation, standardised like the means. */
  readonly best: number;
}

/** Matern 5/2 rather than RBF: training curves are rough, and it is BoTorch's and Spearmint's default. */
function matern52(d2: number, lengthscale: number): number {
  const r = Math.sqrt(5 * d2) / lengthscale;
  return (1 + r + (r * r) / 3) * Math.exp(-r);
}

/** Lower-triangular L with L L^T = K, or undefined where K is not (numerically) positive definite. */
function cholesky(k: number[][]): number[][] | undefined {
  const n = k.length;
  const l = k.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = k[i][j];
      for (let m = 0; m < j; m++) s -= l[i][m] * l[j][m];
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i][i] = Math.sqrt(s);
      } else l[i][j] = s / l[j][j];
    }
  }
  return l;
}

/** Solves L x = b (forward substitution). */
function forward(l: number[][], b: number[]): number[] {
  const x = b.slice();
  for (let i = 0; i < x.length; i++) {
    for (let m = 0; m < i; m++) x[i] -= l[i][m] * x[m];
    x[i] /= l[i][i];
  }
  return x;
}

/** Solves L^T x = b (back substitution). */
function backward(l: number[][], b: number[]): number[] {
  const x = b.slice();
  for (let i = x.length - 1; i >= 0; i--) {
    for (let m = i + 1; m < x.length; m++) x[i] -= l[m][i] * x[m];
    x[i] /= l[i][i];
  }
  return x;
}

/**
 * Kernel settings tried, the one with the highest marginal likelihood kept: a grid instead of
 * gradient steps, since a few dozen points make each try cheap and a grid cannot diverge.
 * Lengthscales are fractions of the space's diameter; noise is relative to the (unit) signal.
 */
const LENGTHSCALES = [0.1, 0.2, 0.3, 0.5, 0.8, 1.2];
const NOISES = [1e-4, 1e-2, 0.1];

/** Fits ys (to be maximised) at xs; undefined when no kernel setting gives a usable solve. */
export function fitGp(xs: Point[], ys: number[]): Gp | undefined {
  const mu = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sd = Math.sqrt(ys.reduce((a, b) => a + (b - mu) ** 2, 0) / ys.length) || 1;
  const y = ys.map((v) => (v - mu) / sd);
  const d2 = xs.map((a) => xs.map((b) => distance2(a, b)));
  const dims = new Set(xs.flatMap((x) => Object.keys(x))).size || 1;
  let fit: { l: number[][]; alpha: number[]; lengthscale: number; evidence: number } | undefined;
  for (const fraction of LENGTHSCALES) {
    const lengthscale = fraction * Math.sqrt(dims);
    for (const noise of NOISES) {
      const l = cholesky(d2.map((row, i) => row.map((v, j) => matern52(v, lengthscale) + (i === j ? noise : 0))));
      if (!l) continue;
      const alpha = backward(l, forward(l, y));
      const evidence = -0.5 * y.reduce((s, v, i) => s + v * alpha[i], 0) - l.reduce((s, row, i) => s + Math.log(row[i]), 0);
      if (!fit || evidence > fit.evidence) fit = { l, alpha, lengthscale, evidence };
    }
  }
  if (!fit) return undefined;
  const { l, alpha, lengthscale } = fit;
  return {
    best: Math.max(...y),
    predict(x) {
      const k = xs.map((p) => matern52(distance2(x, p), lengthscale));
      const v = forward(l, k);
      const variance = 1 - v.reduce((s, t) => s + t * t, 0);
      return { mean: k.reduce((s, t, i) => s + t * alpha[i], 0), sd: Math.sqrt(Math.max(variance, 1e-12)) };
    },
  };
}

/** Standard normal density and distribution (Abramowitz & Stegun 7.1.26 for erf: 1.5e-7). */
const pdf = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
function cdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Expected improvement over `best` (Jones et al. 1998); xi trades a little exploitation for exploration. */
export function expectedImprovement({ mean, sd }: Posterior, best: number, xi = 0.01): number {
  const gain = mean - best - xi;
  const z = gain / sd;
  return gain * cdf(z) + sd * pdf(z);
}
