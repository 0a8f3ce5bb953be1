/**
 * Head targets from a table column. Classification: class names from the training rows (sorted,
 * numerically when they are numbers), one 0/1 value for two classes, one-hot for more, multi-hot
 * for multi-label ("cat|outdoor"). Regression: the number itself.
 */
import type { HeadSpec } from '../spec/types';
import type { HeadInfo } from './source';
import type { EncodeProblem } from './structured';
import { asLabel, isMissing, parseNumber, show } from './values';
import { classificationOutput } from '../heads/classification';
import { Growable } from './growable';
import { fitTargetScaling, TargetScaling, TargetScalingSetting } from './target-scaling';

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

export interface RegressionState {
  column: string;
  units: 1;
  /** Learned from the training rows (see target-scaling.ts); absent with target_scaling: none. */
  scaling?: TargetScaling;
}

export type TargetState = ClassificationState | RegressionState;

const isClassification = (s: TargetState): s is ClassificationState => 'classNames' in s;

export function headInfo(name: string, type: HeadSpec['type'], state: TargetState): HeadInfo {
  if (!isClassification(state)) return { name, type: 'regression', units: 1, ...(state.scaling ? { scaling: state.scaling } : {}) };
  return { name, type: 'classification', classes: state.classNames.length, classNames: state.classNames, multiLabel: state.multiLabel };
}

/** As wide as the head's output: classificationOutput decides (two exclusive classes: one 0/1 column). */
export const targetWidth = (s: TargetState) => (isClassification(s) ? classificationOutput(headInfo('', 'classification', s)).units : 1);

export function splitLabels(value: unknown, delimiter: string): string[] {
  if (Array.isArray(value)) return value.map(asLabel).filter((l) => l !== '');
  if (isMissing(value)) return [];
  return asLabel(value).split(delimiter).map((l) => l.trim()).filter((l) => l !== '');
}

export interface TargetLearner {
  add(value: unknown): void;
  /** The state, or a message saying why the column cannot be this head's target. */
  fit(): TargetState | string;
}

export function targetLearner(column: string, head: HeadSpec): TargetLearner {
  if (head.type === 'regression') return regressionLearner(column, head);
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

/** Keeps the training values (8 bytes a row) to fit the target's scaling. */
function regressionLearner(column: string, head: HeadSpec): TargetLearner {
  const values = new Growable((n) => new Float64Array(n));
  return {
    add(value) {
      const x = isMissing(value) ? NaN : parseNumber(value);
      if (Number.isFinite(x)) values.push(x);
    },
    fit() {
      if (typeof head.units === 'number' && head.units !== 1) return `units: ${head.units}: a table column holds one number per row, so units must be 1`;
      const scaling = fitTargetScaling(values.toArray(), (head.target_scaling as TargetScalingSetting | undefined) ?? 'auto');
      if (typeof scaling === 'string') return scaling;
      return scaling ? { column, units: 1, scaling } : { column, units: 1 };
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

export interface TargetEncoder {
  readonly width: number;
  write(value: unknown, out: Float32Array, at: number): EncodeProblem | undefined;
}

export function targetEncoder(state: TargetState, split: string): TargetEncoder {
  if (!isClassification(state)) {
    return {
      width: 1,
      write(value, out, at) {
        const x = isMissing(value) ? NaN : parseNumber(value);
        if (Number.isNaN(x)) return { column: state.column, message: isMissing(value) ? 'missing value to predict' : `as regression target: ${show(value)} is not a number` };
        out[at] = x;
        return undefined;
      },
    };
  }
  const index = new Map(state.classNames.map((c, k) => [c, k]));
  const key = (l: string) => (state.numericLabels && !Number.isNaN(parseNumber(l)) ? String(parseNumber(l)) : l);
  const unknown = (l: string): EncodeProblem => ({
    column: state.column,
    message: `class ${JSON.stringify(l)} appears only in ${split} rows; the training rows have ${state.classNames.slice(0, 10).join(', ')}${state.classNames.length > 10 ? ', ...' : ''}`,
  });
  const width = targetWidth(state);
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
