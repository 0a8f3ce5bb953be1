/**
 * Means and variances: per channel of interleaved values (the statistics the normalisation blocks
 * use), and of one stream of numbers (what a column or channel is standardised with).
 */

export interface Moments {
  mean: number[];
  variance: number[];
}

/**
 * Sums in float64 over any number of rows: value i belongs to channel i % channels (the last axis
 * of an image [h, w, c] or a structured row [columns]). The variance is the population one, as Keras's
 * Normalization.adapt computes it.
 */
export class ChannelMoments {
  private readonly sum: Float64Array;
  private readonly sq: Float64Array;
  private count = 0;

  constructor(private readonly channels: number) {
    this.sum = new Float64Array(channels);
    this.sq = new Float64Array(channels);
  }

  /** Adds whole rows of interleaved values, each multiplied by scale (1/255 for pixels). */
  add(values: ArrayLike<number>, scale = 1): this {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] * scale;
      this.sum[i % this.channels] += v;
      this.sq[i % this.channels] += v * v;
    }
    this.count += values.length / this.channels;
    return this;
  }

  /** The moments, or `empty` when nothing was added. */
  result(empty: Moments = { mean: new Array(this.channels).fill(0), variance: new Array(this.channels).fill(0) }): Moments {
    if (this.count === 0) return empty;
    const mean = Array.from(this.sum, (s) => s / this.count);
    return { mean, variance: Array.from(this.sq, (s, c) => Math.max(s / this.count - mean[c] ** 2, 0)) };
  }
}

/**
 * Welford's running mean and variance of one stream of numbers: exact enough for large values, one
 * pass, constant memory. Structured columns and time-series channels are standardised with it.
 */
export class RunningMoments {
  private count = 0;
  private mean = 0;
  private m2 = 0;

  add(x: number): void {
    this.count++;
    const d = x - this.mean;
    this.mean += d / this.count;
    this.m2 += d * (x - this.mean);
  }

  /**
   * The mean and the population deviation. A constant stream gives a deviation of 0: it is 1 here,
   * so standardising keeps the values at 0 instead of NaN.
   */
  standardisation(): { mean: number; std: number } {
    const std = this.count > 1 ? Math.sqrt(this.m2 / this.count) : 0;
    return { mean: this.mean, std: std > 1e-12 ? std : 1 };
  }
}
