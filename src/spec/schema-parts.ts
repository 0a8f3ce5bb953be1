/** Small schema pieces shared by the spec schema and the input, head and block modules. */
import { Type } from '@sinclair/typebox';

/** A written duration: "90s", "30m", "2h" (the schema checks time_limit against it; defaults.ts parses it). */
export const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)\s*$/;

/** Values typed as string unless V is given (column_types: its ColumnType). */
export const enumOf = <V extends string = string>(values: readonly NoInfer<V>[]) => Type.Union(values.map((v) => Type.Literal(v)), { expected: `one of ${values.join(', ')}` });
export const posInt = (expected = 'an integer >= 1') => Type.Integer({ minimum: 1, expected });
export const columnName = () => Type.String({ expected: 'a column name of the table' });
