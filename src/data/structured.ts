/**
 * Structured (tabular) inputs: numerical columns standardised with missing values imputed and
 * flagged, categorical columns one-hot with an out-of-vocabulary slot, all in one float vector.
 */
import { asLabel, isMissing, parseNumber, show } from './values';
import type { ColumnType } from './infer';
import { RunningMoments } from './moments';

/** Categories kept per column (the most frequent); the rest share the out-of-vocabulary slot. */
export const MAX_CATEGORIES = 100;
/** Distinct values counted per column while learning: bounds memory on an id-like column. */
const MAX_TRACKED = 100_000;

export interface NumericalFeature {
  column: string;
  kind: 'numerical';
  mean: number;
  std: number;
  /** The training rows had missing values: a 0/1 column after this one says which rows (sklearn's add_indicator). */
  missingFlag: boolean;
}

export interface CategoricalFeature {
  column: string;
  kind: 'categorical';
  /** One-hot slot k+1 is vocabulary[k]; slot 0 is any other value, or none. */
  vocabulary: string[];
}

export type StructuredFeature = NumericalFeature | CategoricalFeature;

export interface EncodeProblem {
  column: string;
  message: string;
}

export const featureWidth = (f: StructuredFeature) => (f.kind === 'numerical' ? (f.missingFlag ? 2 : 1) : f.vocabulary.length + 1);

/** Learns one column from training rows. */
export interface FeatureLearner {
  add(value: unknown): void;
  fit(): StructuredFeature;
}

export function featureLearner(column: string, type: ColumnType): FeatureLearner {
  return type === 'numerical' ? numericalLearner(column) : categoricalLearner(column);
}

/** Numbers standardised with the training rows' mean and deviation; missing ones counted for the flag. */
function numericalLearner(column: string): FeatureLearner {
  const moments = new RunningMoments();
  let missing = 0;
  return {
    add(value) {
      if (isMissing(value)) { missing++; return; }
      const x = parseNumber(value);
      if (Number.isNaN(x)) return; // a bad row; the scan already reported or skipped it
      moments.add(x);
    },
    fit() {
      return { column, kind: 'numerical', ...moments.standardisation(), missingFlag: missing > 0 };
    },
  };
}

function categoricalLearner(column: string): FeatureLearner {
  const counts = new Map<string, number>();
  return {
    add(value) {
      if (isMissing(value)) return;
      const key = asLabel(value);
      const c = counts.get(key);
      if (c !== undefined) counts.set(key, c + 1);
      else if (counts.size < MAX_TRACKED) counts.set(key, 1);
    },
    fit() {
      return { column, kind: 'categorical', vocabulary: mostFrequent(counts, MAX_CATEGORIES) };
    },
  };
}

/** The `limit` most frequent keys; ties go by name so the result does not depend on row order. */
export function mostFrequent(counts: Map<string, number>, limit: number): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit)
    .map(([k]) => k);
}

/** Writes rows as the model sees them; `out` must be zero in the row's slots (fresh arrays are). */
export interface StructuredEncoder {
  readonly width: number;
  write(values: readonly unknown[], out: Float32Array, at: number): EncodeProblem | undefined;
}

export function structuredEncoder(features: StructuredFeature[]): StructuredEncoder {
  const parts = features.map((f) => (f.kind === 'numerical' ? numericalPart(f) : categoricalPart(f)));
  const offsets: number[] = [];
  let width = 0;
  for (const f of features) (offsets.push(width), (width += featureWidth(f)));
  return {
    width,
    write(values, out, at) {
      let problem: EncodeProblem | undefined;
      for (let i = 0; i < parts.length; i++) problem = parts[i](values[i], out, at + offsets[i]) ?? problem;
      return problem;
    },
  };
}

type Part = (value: unknown, out: Float32Array, at: number) => EncodeProblem | undefined;

function numericalPart(f: NumericalFeature): Part {
  return (value, out, at) => {
    if (isMissing(value)) {
      // The training mean, which standardises to 0; the flag tells the model it was made up.
      out[at] = 0;
      if (f.missingFlag) out[at + 1] = 1;
      return undefined;
    }
    const x = parseNumber(value);
    if (Number.isNaN(x)) return { column: f.column, message: `as numerical: ${show(value)} is not a number` };
    out[at] = (x - f.mean) / f.std;
    return undefined;
  };
}

function categoricalPart(f: CategoricalFeature): Part {
  const slot = new Map(f.vocabulary.map((v, k) => [v, k + 1]));
  return (value, out, at) => {
    out[at + (isMissing(value) ? 0 : slot.get(asLabel(value)) ?? 0)] = 1;
    return undefined;
  };
}
