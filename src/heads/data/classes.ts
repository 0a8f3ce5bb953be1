/**
 * A classification head's class names and the class a row of output picks: the one reading that
 * prediction decoding, whole-set scores, `evaluate` and the report's data profile share, so a class
 * index never names a different class in two of them. Pure: the browser bundle decodes with it.
 */
import type { HeadInfo } from '../../data/source';

/** The index of the largest of `width` values from `from` (the first on ties, as tf.argMax). */
export function argmax(values: ArrayLike<number>, from = 0, width = values.length - from): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (values[from + k] > values[from + best]) best = k;
  return best;
}

/**
 * The class names in output order. Generated data (source: random) learns none: its classes are
 * "0", "1", ...; a head that does not say how many has one per output, two behind one sigmoid.
 */
export function classNamesOf(info: HeadInfo, width: number): string[] {
  const classes = info.classes ?? (width === 1 && !info.multiLabel ? 2 : width);
  return info.classNames ?? Array.from({ length: classes }, (_, k) => String(k));
}

/** The class row `r` of `width` values picks: one sigmoid (two classes) above 0.5 is the second. */
export const predictedClass = (values: ArrayLike<number>, r: number, width: number): number =>
  width === 1 ? (values[r] > 0.5 ? 1 : 0) : argmax(values, r * width, width);
