/**
 * Structured inputs: numerical and categorical columns (data/structured.ts), each column's type
 * inferred by the scan or written in column_types; `columns: rest` takes every column nothing else
 * reads, and a number of columns makes up that many for random data.
 */
import { Type, type Static } from '@sinclair/typebox';
import { enumOf, posInt } from '../spec/schema-parts';
import { featureLearner, featureWidth, StructuredFeature, structuredEncoder } from '../data/structured';
import type { ColumnType } from '../data/infer';
import { defineInput, unitStats } from './input';

const schema = Type.Object(
  {
    type: Type.Literal('structured'),
    columns: Type.Union([posInt(), Type.Array(Type.String(), { minItems: 1 }), Type.Literal('rest')], { expected: 'a number of columns (random data), a list of column names, or "rest"' }),
    column_types: Type.Optional(Type.Record(Type.String(), enumOf<ColumnType>(['numerical', 'categorical']))),
  },
  { additionalProperties: false },
);
export type StructuredInput = Static<typeof schema>;

/** A list names one column each; "rest" is unknown until the data is read and counts one. */
const shapeOf = (written: StructuredInput) => [typeof written.columns === 'number' ? written.columns : Array.isArray(written.columns) ? written.columns.length : 1];

/** What a structured input learns: one fitted feature per column. */
type StructuredState = { features: StructuredFeature[] };

export const structured = defineInput<StructuredInput, StructuredInput, StructuredState>({
  type: 'structured',
  doc: 'numerical and categorical columns: numbers standardised (missing ones imputed and flagged), categories one-hot',
  example: { type: 'structured', columns: 4 },
  schema,
  columns(name, written, problem) {
    if (written.columns === 'rest') return 'rest';
    if (typeof written.columns === 'number') {
      problem(`inputs.${name}.columns: ${written.columns} is a number of made-up columns for random data; with a table, list the column names or write "rest"`);
      return [];
    }
    return [...written.columns];
  },
  exampleShape: shapeOf,
  sizeKey: 'columns',
  profiled: true,
  storage: 'values',
  stats: 'values',
  learner(_written, columns, types) {
    const features = columns.map((c) => featureLearner(c, types.get(c)!.type));
    return {
      add(cells) {
        for (let i = 0; i < features.length; i++) features[i].add(cells[i]);
      },
      fit: () => ({ features: features.map((f) => f.fit()) }),
    };
  },
  saved(name, _written, state) {
    const width = state.features.reduce((a, f) => a + featureWidth(f), 0);
    return { name, type: 'structured', shape: [width], dtype: 'float32', ...state };
  },
  savedColumns: (saved) => saved.features.map((f) => f.column),
  writer(saved) {
    const { features } = saved;
    const encoder = structuredEncoder(features);
    return { columns: features.map((f) => f.column), width: encoder.width, write: (values, out, at) => encoder.write(values, out as Float32Array, at) };
  },
  specInfo(name, written) {
    const shape = shapeOf(written);
    return { name, type: 'structured', shape, dtype: 'float32', stats: unitStats(shape[0]) };
  },
  synth(written, z, rng) {
    const n = typeof written.columns === 'number' ? written.columns : written.columns.length;
    const data = new Float32Array(z.length * n);
    for (let r = 0; r < z.length; r++) for (let c = 0; c < n; c++) data[r * n + c] = (c < 3 ? z[r] : 0) + rng.normal() * (c < 3 ? 0.5 : 1);
    return { shape: [n], dtype: 'float32', data };
  },
  basicBlock: () => ({ type: 'structured' }),
});
