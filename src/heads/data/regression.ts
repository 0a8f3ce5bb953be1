/** Regression targets: the number itself, scaled as target-scaling.ts learns from the training rows. */
/** A head as written (its type's keys are read here, checked by the schema). */
type HeadSpec = Record<string, unknown>;
import { isMissing, parseNumber, show } from '../../data/values';
import { Growable } from '../../data/growable';
import { fitTargetScaling, TargetScaling, TargetScalingSetting } from '../../data/target-scaling';
import type { HeadInfo } from '../../data/source';
import type { HeadData, TargetLearner } from './head-data';

/** `units` numbers per row; a table column gives one. */
const width = (info: HeadInfo): number => info.units ?? 1;

export interface RegressionState {
  column: string;
  units: 1;
  /** Learned from the training rows (see target-scaling.ts); absent with target_scaling: none. */
  scaling?: TargetScaling;
}

/** Keeps the training values (8 bytes a row) to fit the target's scaling. */
export function regressionLearner(column: string, head: HeadSpec): TargetLearner {
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

export const regressionData: HeadData = {
  check(value) {
    if (isMissing(value)) return 'missing value to predict';
    if (Number.isNaN(parseNumber(value))) return `as regression target: ${show(value)} is not a number`;
    return undefined;
  },
  learner: (column, written) => regressionLearner(column, written),
  encoder(saved) {
    const state = saved as unknown as RegressionState;
    return {
      width: width(regressionData.info('', state)),
      write(value, out, at) {
        const x = isMissing(value) ? NaN : parseNumber(value);
        if (Number.isNaN(x)) return { column: state.column, message: isMissing(value) ? 'missing value to predict' : `as regression target: ${show(value)} is not a number` };
        out[at] = x;
        return undefined;
      },
    };
  },
  width,
  info(name, saved) {
    const state = saved as unknown as RegressionState;
    return { name, type: 'regression', units: 1, ...(state.scaling ? { scaling: state.scaling } : {}) };
  },
  synth(head, z, rng) {
    const rows = z.length;
    const units = width(head);
    const data = new Float32Array(rows * units);
    for (let r = 0; r < rows; r++) for (let u = 0; u < units; u++) data[r * units + u] = (u + 1) * z[r] + 0.1 * rng.normal();
    return { shape: [units], dtype: 'float32', data };
  },
  decode: (_info, v) => (v.length === 1 ? { value: v[0] } : { value: v[0], values: v }),
};
