/**
 * Request schemas generated from the model's preprocessing: each column's JSON type, so a bad
 * request is refused with the field and what it should have held, before the model sees it.
 */
import type { ErrorObject } from 'ajv';
import { suggestion } from '../util/suggest';
import { show } from '../data/values';
import type { ModelMetadata } from './model';
import { inputDef } from '../inputs/registry';

/** A structured column's accepted JSON values; `description` is what a 400 says was expected. */
const FEATURE_SCHEMAS: Record<string, object> = {
  numerical: { type: ['number', 'null'], description: 'a number or null' },
  categorical: { type: ['string', 'number', 'boolean', 'null'], description: 'a category: a string, number, boolean or null' },
};

/** Other columns take what their input type's module says (src/inputs). */
const cellSchema = (kind: string): object => FEATURE_SCHEMAS[kind] ?? inputDef(kind).cellSchema ?? {};

/** One instance: every column the model reads (null for a missing value), nothing else. */
export function instanceSchema(meta: ModelMetadata): object {
  const columns = meta.inputs.flatMap((i) => i.columns);
  return {
    type: 'object',
    properties: Object.fromEntries(columns.map((c) => [c.name, cellSchema(c.kind)])),
    required: columns.map((c) => c.name),
    additionalProperties: false,
    description: `an object with the columns ${columns.map((c) => JSON.stringify(c.name)).join(', ')}`,
  };
}

/** TensorFlow Serving's row format: {"instances": [row, ...]}. */
export function predictBodySchema(meta: ModelMetadata, maxRows: number): object {
  return {
    type: 'object',
    required: ['instances'],
    properties: { instances: { type: 'array', minItems: 1, maxItems: maxRows, items: instanceSchema(meta), description: `a list of 1 to ${maxRows} instances` } },
    additionalProperties: false,
    description: 'a JSON object {"instances": [...]}',
  };
}

/** Problems shown in one 400; more are counted. */
const SHOWN = 20;

/** ajv's errors (verbose) as lines `instances[0].age: expected a number or null, got "abc"`. */
export function formatSchemaErrors(errors: ErrorObject[]): string {
  const lines = [...new Set(errors.map(describeError))];
  const more = lines.length > SHOWN ? [`... and ${lines.length - SHOWN} more`] : [];
  return [...lines.slice(0, SHOWN), ...more].join('\n');
}

function describeError(e: ErrorObject): string {
  const where = fieldPath(e.instancePath) || 'body';
  const parent = (e.parentSchema ?? {}) as { description?: string; properties?: Record<string, unknown> };
  if (e.keyword === 'required') return `${join(where, e.params.missingProperty)}: missing; expected ${describeProperty(parent, e.params.missingProperty)}`;
  if (e.keyword === 'additionalProperties') {
    const name = e.params.additionalProperty as string;
    return `${join(where, name)}: unknown field; ${suggestion(name, Object.keys(parent.properties ?? {}))}`;
  }
  return `${where}: expected ${parent.description ?? e.message}, got ${describeValue(e.data)}`;
}

const describeProperty = (parent: { properties?: Record<string, unknown> }, name: string) =>
  (parent.properties?.[name] as { description?: string } | undefined)?.description ?? 'a value';

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v !== null && typeof v === 'object') return 'an object';
  return v === undefined ? 'nothing' : show(v);
}

/** "/instances/0/age (years)" -> 'instances[0]["age (years)"]' (JSON pointer unescaped). */
export function fieldPath(pointer: string): string {
  return pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).reduce(join, '');
}

function join(path: string, key: string): string {
  if (/^\d+$/.test(key)) return `${path}[${key}]`;
  if (/^[A-Za-z_][\w]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}
