/**
 * The spec's JSON schema, assembled from the block, head and oracle registries: the single source
 * of truth for validation, `automm schema` (editors) and the README's reference.
 */
import { Type, TSchema, Static, type TOptional, type TUnsafe } from '@sinclair/typebox';
import { BLOCKS } from '../blocks/registry';
import { HEADS } from '../heads/registry';
import { ORACLES } from '../search/oracles/registry';
import { OPTIMIZER_PARAMS } from '../search/optimizers';
import { BACKEND_CHOICES } from '../engine/choices';
import { Hp, type ParamDef } from './space';
import { INPUTS, type WrittenInputSpec } from '../inputs/registry';
import type { HeadSpec } from '../heads/registry';
import { DURATION, enumOf, posInt } from './schema-parts';
import type { Objective } from './objective';

const NODE_NAME = '^[A-Za-z_][A-Za-z0-9_]*$';
/** A name outside NODE_NAME is an error, not a key whose body goes unchecked (validate.ts words it). */
const CLOSED = { additionalProperties: false };
/** Parameters as optional keys (values or spaces), keeping their names in the static type. */
const optionalParams = <P extends Record<string, ParamDef>>(params: P) =>
  Object.fromEntries(Object.entries(params).map(([k, p]) => [k, Type.Optional(p.schema)])) as { [K in keyof P]: TOptional<TSchema> };

const nodeRef = (what: string) => Type.String({ pattern: NODE_NAME, expected: `the name of ${what}` });

/** A fixed weight or a space: searched weights are scored on a weight-independent objective. */
export const LOSS_WEIGHT = Hp.float({ min: 0, default: { kind: 'fixed', value: 1 }, doc: 'weight of a head\'s loss in the total' });

/**
 * A tagged union's members with their static types: the modules' own (Static<typeof schema>, kept
 * by their definitions), which the registries' erased tables cannot carry to here.
 */
const members = <U extends { type: string }>(schemas: Record<string, TSchema>) => schemas as { [K in U['type']]: TUnsafe<Extract<U, { type: K }>> };

const inputSchemas = members<WrittenInputSpec>(Object.fromEntries(Object.entries(INPUTS).map(([t, def]) => [t, def.schema])));

/** A tagged union's static type: each member's schema type, told apart by its `type`. */
type TaggedStatic<M extends Record<string, TSchema>> = { [K in keyof M & string]: Static<M[K]> & { type: K } }[keyof M & string];

/**
 * A tagged union written as if/then so ajv reports errors of the chosen type only; JSON Schema's
 * if/then has no static type of its own, so the union of the members' is given to it.
 */
function tagged<M extends Record<string, TSchema>>(kind: string, schemas: M): TUnsafe<TaggedStatic<M>> {
  return Type.Unsafe<TaggedStatic<M>>(Type.Object(
    { type: enumOf(Object.keys(schemas)) },
    {
      required: ['type'],
      additionalProperties: true,
      expected: `a ${kind} (a mapping with a type)`,
      allOf: Object.entries(schemas).map(([t, s]) => ({ if: { properties: { type: { const: t } } }, then: s })),
    },
  ));
}

/** A block as written: its type, its wiring, and its parameters (values or spaces). */
export interface WrittenBlock {
  type: string;
  input?: string;
  inputs?: string[];
  [param: string]: unknown;
}

function blockSchema(type: string): TSchema {
  const def = BLOCKS[type];
  const wiring: Record<string, TSchema> = def.arity === 'many'
    ? { inputs: Type.Array(nodeRef('an input or block'), { minItems: 2, expected: 'a list of two or more node names' }) }
    : { input: nodeRef('an input or block') };
  const params = Object.fromEntries(Object.entries(def.params).map(([k, p]) => [k, Type.Optional(p.schema)]));
  const settings = Object.fromEntries(Object.entries(def.settings ?? {}).map(([k, s]) => [k, s.required ? s.schema : Type.Optional(s.schema)]));
  return Type.Object({ type: Type.Literal(type), ...wiring, ...settings, ...params }, { additionalProperties: false, description: def.doc });
}

function headSchema(type: string): TSchema {
  const def = HEADS[type];
  const settings = Object.fromEntries(Object.entries(def.settings).map(([k, s]) => [k, Type.Optional(s)]));
  const params = Object.fromEntries(Object.entries(def.params).map(([k, p]) => [k, Type.Optional(p.schema)]));
  return Type.Object(
    { type: Type.Literal(type), input: Type.Optional(nodeRef('an input or block')), column: Type.Optional(Type.String({ expected: 'a column name of the table' })), ...settings, ...params },
    { additionalProperties: false, description: def.doc },
  );
}

export const dataSchema = Type.Object(
  {
    source: Type.Union([Type.String({ minLength: 1 }), Type.Object({ images: Type.String({ minLength: 1 }) }, { additionalProperties: false })], { expected: '"random", a path to a .csv/.tsv/.jsonl/.json table, or {images: folder}' }),
    rows: Type.Optional(Type.Integer({ minimum: 4, expected: 'an integer >= 4 (random data rows)' })),
    validation_split: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, expected: 'a number between 0 and 1 (exclusive)' })),
    validation: Type.Optional(Type.String({ minLength: 1 })),
    test: Type.Optional(Type.String({ minLength: 1 })),
    stratify: Type.Optional(Type.String({ minLength: 1 })),
    on_bad_row: Type.Optional(enumOf(['error', 'skip'])),
  },
  { additionalProperties: false },
);

const objectiveSchema = Type.Union(
  [Type.String({ minLength: 1 }), Type.Object({ metric: Type.String({ minLength: 1 }), direction: Type.Optional(enumOf<Objective['direction']>(['min', 'max'])) }, { additionalProperties: false })],
  { expected: 'a metric name such as val_loss, or {metric: val_<head>_<metric>, direction: min|max}' },
);

export const searchSchema = Type.Object(
  {
    max_trials: Type.Optional(posInt()),
    tuner: Type.Optional(enumOf(Object.keys(ORACLES))),
    objective: Type.Optional(objectiveSchema),
    epochs: Type.Optional(posInt()),
    batch_size: Type.Optional(posInt()),
    early_stopping: Type.Optional(Type.Object({ patience: posInt(), min_delta: Type.Optional(Type.Number({ minimum: 0 })), monitor: Type.Optional(Type.String()) }, { additionalProperties: false })),
    ...optionalParams(OPTIMIZER_PARAMS),
    reduce_lr: Type.Optional(Type.Object({ factor: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, expected: 'a number between 0 and 1' }), patience: posInt(), min_lr: Type.Optional(Type.Number({ minimum: 0 })), monitor: Type.Optional(Type.String()) }, { additionalProperties: false })),
    time_limit: Type.Optional(Type.Union([Type.String({ pattern: DURATION.source }), Type.Number({ exclusiveMinimum: 0 })], { expected: 'a duration such as 90s, 30m or 2h (a bare number is seconds)' })),
    max_model_size: Type.Optional(posInt('an integer >= 1 (parameters)')),
    refit: Type.Optional(Type.Boolean()),
    backend: Type.Optional(enumOf(BACKEND_CHOICES)),
    workers: Type.Optional(posInt()),
    threads: Type.Optional(posInt()),
  },
  { additionalProperties: false },
);

export function specSchema() {
  return Type.Object(
    {
      name: Type.String({ pattern: '^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$', expected: 'a project name: up to 64 letters, digits, _ . -, not starting with a dot' }),
      seed: Type.Optional(Type.Integer({ minimum: 0, expected: 'an integer >= 0' })),
      data: dataSchema,
      inputs: Type.Record(Type.String({ pattern: NODE_NAME }), tagged('input', inputSchemas), { ...CLOSED, minProperties: 1, expected: 'a mapping with at least one input (name: {type: ...})' }),
      blocks: Type.Optional(Type.Record(Type.String({ pattern: NODE_NAME }), tagged('block', members<WrittenBlock>(Object.fromEntries(Object.keys(BLOCKS).map((t) => [t, blockSchema(t)])))), CLOSED)),
      heads: Type.Record(Type.String({ pattern: NODE_NAME }), tagged('head', members<HeadSpec>(Object.fromEntries(Object.keys(HEADS).map((t) => [t, headSchema(t)])))), { ...CLOSED, minProperties: 1, expected: 'a mapping with at least one head (name: {type: ...})' }),
      // A mapping by head, or Keras's list form: one weight per head in the order heads are written.
      loss_weights: Type.Optional(Type.Union([Type.Record(Type.String(), LOSS_WEIGHT.schema), Type.Array(LOSS_WEIGHT.schema)], { expected: 'a mapping {head: weight} or a list of weights, one per head in the order heads are written' })),
      search: Type.Optional(searchSchema),
    },
    { additionalProperties: false, $id: 'https://automm.dev/spec.schema.json', title: 'automm spec' },
  );
}

/** The schema as printed by `automm schema`: plain JSON Schema (draft 7) for editors. */
export function printableSchema(): object {
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...JSON.parse(JSON.stringify(specSchema())) };
}

export type RawSpec = Static<ReturnType<typeof specSchema>>;
