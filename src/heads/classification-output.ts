import type { HeadInfo } from '../data/source';

/**
 * How a classification is predicted, which also fixes its target encoding:
 * two exclusive classes -> one sigmoid unit, targets [1] of 0/1 (Keras's binary setup);
 * more exclusive classes -> softmax, one-hot targets [classes];
 * multi-label -> one sigmoid per class, multi-hot targets [classes].
 */
export function classificationOutput(info: HeadInfo): { units: number; activation: 'sigmoid' | 'softmax' } {
  const classes = info.classes ?? 2;
  if (info.multiLabel) return { units: classes, activation: 'sigmoid' };
  return classes <= 2 ? { units: 1, activation: 'sigmoid' } : { units: classes, activation: 'softmax' };
}
