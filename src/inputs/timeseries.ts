/**
 * Time-series inputs: a sequence of numbers per cell, one channel per column, as a [length,
 * channels] tensor. A cell is a JSON array (JSON/JSONL tables, server requests, the browser) or
 * numbers separated by spaces, semicolons or commas (CSV/TSV; surrounding brackets are ignored).
 * As Keras's pad_sequences does by default, sequences are aligned at their end: a longer one keeps
 * its last `length` values (the most recent), a shorter one is padded at the start. Each channel is
 * standardised with the mean and deviation of the training rows' values, so padding (0) reads as
 * the channel's mean.
 */
import { Type, type Static } from '@sinclair/typebox';
import { columnName, posInt } from '../spec/schema-parts';
import type { EncodeProblem } from '../data/structured';
import { isMissing, parseNumber, show } from '../data/values';
import { RunningMoments } from '../data/moments';
import { defineInput } from './input';

const schema = Type.Object(
  {
    type: Type.Literal('timeseries'),
    length: posInt('an integer >= 1 (time steps the model sees)'),
    column: Type.Optional(columnName()),
    columns: Type.Optional(Type.Array(Type.String(), { minItems: 1, expected: 'a list of column names, one channel each' })),
  },
  { additionalProperties: false },
);
export type TimeseriesInput = Static<typeof schema>;

// A type, not an interface: a state is a record of JSON values (LearnedState).
export type TimeseriesState = {
  columns: string[];
  length: number;
  /** Per channel, from the values of the training rows the model sees (after cutting). */
  mean: number[];
  std: number[];
  /** For people and other tools reading preprocessing.json. */
  pad: 'start';
  cut: 'start';
};

const SEPARATORS = /[\s;,]+/;

/** A written cell's tokens, brackets around the whole left out. */
const tokensOf = (value: unknown) => String(value).trim().replace(/^\[|\]$/g, '').trim().split(SEPARATORS);

/** A cell's numbers (NaN for a token that is not one), or undefined for a missing cell. */
export function parseSequence(value: unknown): number[] | undefined {
  if (isMissing(value)) return undefined;
  if (Array.isArray(value)) return value.map(parseNumber);
  if (typeof value === 'number') return [value];
  const tokens = tokensOf(value);
  return tokens.length === 1 && tokens[0] === '' ? [] : tokens.map(parseNumber);
}

/** The last `length` values: what the model sees of a longer sequence. */
const kept = (values: number[], length: number) => (values.length > length ? values.slice(values.length - length) : values);

function readCell(value: unknown, column: string): number[] | EncodeProblem {
  const values = parseSequence(value);
  if (values === undefined) return { column, message: 'missing sequence' };
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    const shown = show(Array.isArray(value) ? value[bad] : tokensOf(value)[bad]);
    return { column, message: `as time series: value ${bad + 1} (${shown}) is not a number` };
  }
  return values;
}

function checkCell(value: unknown, column: string): EncodeProblem | undefined {
  const cell = readCell(value, column);
  return Array.isArray(cell) ? undefined : cell;
}

/** [time steps, channels]: a channel per column. */
const shapeOf = (written: TimeseriesInput) => [written.length, written.columns?.length ?? 1];

export const timeseries = defineInput<TimeseriesInput, TimeseriesInput, TimeseriesState>({
  type: 'timeseries',
  doc: 'sequences of numbers, one channel per column, standardised per channel and aligned at their end (padded or cut at the start) to length',
  example: { type: 'timeseries', columns: ['a', 'b'], length: 12 },
  schema,
  exampleShape: shapeOf,
  sizeKey: 'length',
  columns(name, written, problem) {
    if (written.column !== undefined && written.columns !== undefined) problem(`inputs.${name}: write column (one channel) or columns (a channel each), not both`);
    return written.columns ? [...written.columns] : [written.column ?? name];
  },
  check(cells, columns) {
    return cells.map((v, c) => checkCell(v, columns[c])).filter((p): p is EncodeProblem => p !== undefined);
  },
  storage: 'values',
  stats: 'none',
  learner(written, columns) {
    const channels = columns.map(() => new RunningMoments());
    return {
      add(cells) {
        cells.forEach((v, c) => {
          for (const x of kept(parseSequence(v) ?? [], written.length)) if (Number.isFinite(x)) channels[c].add(x);
        });
      },
      fit() {
        const fitted = channels.map((m) => m.standardisation());
        const state: TimeseriesState = { columns, length: written.length, mean: fitted.map((f) => f.mean), std: fitted.map((f) => f.std), pad: 'start', cut: 'start' };
        return { ...state };
      },
    };
  },
  saved: (name, written, state) => ({ name, type: 'timeseries', shape: [written.length, state.columns.length], dtype: 'float32', ...state }),
  savedColumns: (saved) => [...saved.columns],
  writer(saved) {
    const { columns, length, mean, std } = saved;
    const channels = columns.length;
    return {
      columns,
      width: length * channels,
      write(values, out, at) {
        for (let c = 0; c < channels; c++) {
          const cell = readCell(values[c], columns[c]);
          if (!Array.isArray(cell)) return cell;
          const seq = kept(cell, length);
          const start = length - seq.length;
          for (let t = 0; t < seq.length; t++) out[at + (start + t) * channels + c] = (seq[t] - mean[c]) / std[c];
        }
        return undefined;
      },
    };
  },
  specInfo: (name, written) => ({ name, type: 'timeseries', shape: shapeOf(written), dtype: 'float32' }),
  synth(written, z, rng) {
    const [length, channels] = shapeOf(written);
    const size = length * channels;
    const data = new Float32Array(z.length * size);
    // The signal sets each sequence's level and the amplitude of its wave; the rest is noise.
    for (let r = 0; r < z.length; r++) for (let t = 0; t < length; t++) for (let c = 0; c < channels; c++) {
      data[r * size + t * channels + c] = 0.5 * z[r] + (1 + 0.5 * z[r]) * Math.sin(0.7 * t + c) + 0.3 * rng.normal();
    }
    return { shape: [length, channels], dtype: 'float32', data };
  },
  cellSchema: {
    type: ['array', 'string', 'null'],
    items: { type: 'number' },
    description: 'a sequence: a list of numbers, or numbers separated by spaces or semicolons',
  },
  // A 1-D convolution block over [length, channels] (the conv block's default space).
  basicBlock: () => ({ type: 'conv' }),
});
