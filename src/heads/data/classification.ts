/**
 * Classification targets from a table column: class names from the training rows (sorted,
 * numerically when they are numbers), one 0/1 value for two classes, one-hot for more, multi-hot
 * for multi-label ("cat|outdoor").
 */
/** A head as written (its type's keys are read here, checked by the schema). */
type HeadSpec = Record<string, unknown>;
import type { HeadInfo } from '../../data/source';
import type { EncodeProblem } from '../../data/structured';
import { asLabel, isMissing, parseNumber } from '../../data/values';
import { classificationOutput } from '../classification-output';
import { argmax, classNamesOf } from './classes';
import type { HeadData, TargetEncoder, TargetLearner } from './head-data';

/** Classes counted while learning; beyond this the column is not a class column. */
const MAX_CLASSES = 10_000;
/** How multi-label cells separate their labels, in order of preference when a spec says multi_label. */
const DELIMITERS = ['|', ';', ','];

export interface ClassificationState {
  column: string;
  classNames: string[];
  multiLabel: boolean;
  /** Multi-label only: what separates labels in a cell. */
  delimiter?: string;
  /** The training labels were all numbers: "1" and "1.0" are the same class. */
  numericLabels: boolean;
}

const infoOf = (name: string, state: ClassificationState): HeadInfo =>
  ({ name, type: 'classification', classes: state.classNames.length, classNames: state.classNames, multiLabel: state.multiLabel });

function splitLabels(value: unknown, delimiter: string): string[] {
  if (Array.isArray(value)) return value.map(asLabel).filter((l) => l !== '');
  if (isMissing(value)) return [];
  return asLabel(value).split(delimiter).map((l) => l.trim()).filter((l) => l !== '');
}

function classificationLearner(column: string, head: HeadSpec): TargetLearner {
  const multiLabel = head.multi_label === true;
  const counts = new Map<string, number>();
  // The first delimiter seen decides; cells before it hold one label each, which any split keeps.
  let delimiter: string | undefined;
  let tooMany = false;
  const count = (label: string) => {
    if (counts.has(label)) counts.set(label, counts.get(label)! + 1);
    else if (counts.size < MAX_CLASSES) counts.set(label, 1);
    else tooMany = true;
  };
  return {
    add(value) {
      if (!multiLabel) {
        if (!isMissing(value)) count(asLabel(value));
        return;
      }
      if (delimiter === undefined && typeof value === 'string') delimiter = DELIMITERS.find((d) => value.includes(d));
      for (const l of splitLabels(value, delimiter ?? DELIMITERS[0])) count(l);
    },
    fit() {
      if (tooMany) return `has more than ${MAX_CLASSES} distinct values; is it the class column? (a number to predict is a regression head)`;
      return fitClasses(column, head, multiLabel ? delimiter ?? DELIMITERS[0] : undefined, [...counts.keys()]);
    },
  };
}

function fitClasses(column: string, head: HeadSpec, delimiter: string | undefined, labels: string[]): ClassificationState | string {
  const multiLabel = delimiter !== undefined;
  const numericLabels = labels.length > 0 && labels.every((l) => !Number.isNaN(parseNumber(l)));
  const canonical = [...new Set(labels.map((l) => (numericLabels ? String(parseNumber(l)) : l)))];
  const classNames = numericLabels ? canonical.sort((a, b) => Number(a) - Number(b)) : canonical.sort();
  const written = head.classes;
  if (Array.isArray(written)) {
    const names = written.map(String);
    const unknown = classNames.filter((c) => !names.includes(c));
    if (unknown.length > 0) return `holds classes not in heads.classes: ${unknown.slice(0, 5).map((c) => JSON.stringify(c)).join(', ')}`;
    return { column, classNames: names, multiLabel, delimiter, numericLabels };
  }
  if (classNames.length < (multiLabel ? 1 : 2)) {
    return `has ${classNames.length === 0 ? 'no classes' : `one class only (${JSON.stringify(classNames[0])})`} in the training rows; classification needs two or more`;
  }
  if (typeof written === 'number' && written !== classNames.length) {
    return `the training rows hold ${classNames.length} classes (${classNames.slice(0, 10).join(', ')}${classNames.length > 10 ? ', ...' : ''}), but the head says classes: ${written}`;
  }
  return { column, classNames, multiLabel, delimiter, numericLabels };
}

function classificationEncoder(state: ClassificationState, split: string): TargetEncoder {
  const index = new Map(state.classNames.map((c, k) => [c, k]));
  const key = (l: string) => (state.numericLabels && !Number.isNaN(parseNumber(l)) ? String(parseNumber(l)) : l);
  const unknown = (l: string): EncodeProblem => ({
    column: state.column,
    message: `class ${JSON.stringify(l)} appears only in ${split} rows; the training rows have ${state.classNames.slice(0, 10).join(', ')}${state.classNames.length > 10 ? ', ...' : ''}`,
  });
  const width = classificationData.width(infoOf('', state));
  return {
    width,
    write(value, out, at) {
      if (state.multiLabel) {
        for (const l of splitLabels(value, state.delimiter ?? '|')) {
          const k = index.get(key(l));
          if (k === undefined) return unknown(l);
          out[at + k] = 1;
        }
        return undefined;
      }
      if (isMissing(value)) return { column: state.column, message: 'missing class' };
      const k = index.get(key(asLabel(value)));
      if (k === undefined) return unknown(asLabel(value));
      if (width === 1) out[at] = k;
      else out[at + k] = 1;
      return undefined;
    },
  };
}

/** Equal-probability bins of a standard normal, so classes are balanced. */
function bin(v: number, classes: number): number {
  const p = 0.5 * (1 + Math.tanh(0.7978845608 * (v + 0.044715 * v ** 3)));
  return Math.min(classes - 1, Math.floor(p * classes));
}

export const classificationData: HeadData = {
  check: (value, written) => (written.multi_label !== true && isMissing(value) ? 'missing class' : undefined),
  learner: (column, written) => classificationLearner(column, written),
  encoder: (state, split) => classificationEncoder(state as unknown as ClassificationState, split),
  width: (info) => classificationOutput(info).units,
  info: (name, state) => infoOf(name, state as unknown as ClassificationState),
  synth(head, z, rng) {
    const rows = z.length;
    const classes = head.classes!;
    if (classificationData.width(head) === 1) {
      return { shape: [1], dtype: 'float32', data: Float32Array.from(z, (v) => (v > 0 ? 1 : 0)) };
    }
    const data = new Float32Array(rows * classes);
    for (let r = 0; r < rows; r++) {
      if (head.multiLabel) {
        for (let k = 0; k < classes; k++) data[r * classes + k] = z[r] + 0.3 * rng.normal() > (k / classes) * 2 - 1 ? 1 : 0;
      } else {
        data[r * classes + bin(z[r], classes)] = 1;
      }
    }
    return { shape: [classes], dtype: 'float32', data };
  },
  decode(head, v) {
    const names = classNamesOf(head, v.length);
    // Two exclusive classes come out of one sigmoid unit: the probability of the second.
    const p = !head.multiLabel && v.length === 1 ? [1 - v[0], v[0]] : v;
    const probabilities = Object.fromEntries(names.map((n, k) => [n, p[k]]));
    if (head.multiLabel) {
      const labels = names.filter((_, k) => p[k] > 0.5);
      return { label: labels.join('|'), labels, probabilities };
    }
    return { label: names[argmax(p)], probabilities };
  },
};
