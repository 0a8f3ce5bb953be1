/** Small schema pieces shared by the spec schema and the input, head and block modules. */
import { Type } from '@sinclair/typebox';

export const enumOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)), { expected: `one of ${values.join(', ')}` });
export const posInt = (expected = 'an integer >= 1') => Type.Integer({ minimum: 1, expected });
export const columnName = () => Type.String({ expected: 'a column name of the table' });
