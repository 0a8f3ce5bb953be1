/**
 * The contract every block implements: its parameters (schema + default space, one place), how
 * their values are resolved for a trial, and how it adds layers to a functional graph.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { TSchema } from '@sinclair/typebox';
import type { HpScope } from '../search/hp';
import { ParamDef, toHpDef } from '../spec/space';

export type Sym = tfl.SymbolicTensor;
/** Resolved values of one block: plain JSON (modality blocks nest their chosen sub-block's). */
export type Params = Record<string, any>;

export interface BuildContext {
  /** The block's name in the spec; every layer it adds is named through layerName. */
  readonly name: string;
  /** A unique, deterministic layer name: `${block}_${kind}_${n}` (export copies weights by name). */
  layerName(kind: string): string;
  /** Building the exported graph: training-only layers (augmentation) are left out. */
  readonly forExport: boolean;
  /** Mean/variance of the data input this block reads from, when the path to it keeps shapes. */
  readonly stats?: { mean: number[]; variance: number[] };
  /** Token ids of the text input this block reads from lie in [0, vocabSize) (the embedding needs it). */
  readonly vocabSize?: number;
  /** The spec's folder: paths in block settings (a pretrained model) are relative to it. */
  readonly dir?: string;
  /** A context for a sub-block (modality blocks), sharing the name counter. */
  child(sub: string): BuildContext;
}

export interface BlockDef {
  readonly type: string;
  readonly doc: string;
  /** 'one': the block reads `input: node`; 'many': `inputs: [node, ...]` (merge). */
  readonly arity: 'one' | 'many';
  readonly params: Record<string, ParamDef>;
  /** Fixed, never searched settings (a file path, a layer name); a block's resolve() passes them on. */
  readonly settings?: Record<string, BlockSetting>;
  /** Defaults to resolveParams; modality blocks override it to choose and resolve a sub-block. */
  resolve?(hp: HpScope, written: Record<string, unknown>): Params;
  build(ctx: BuildContext, inputs: Sym[], params: Params): Sym;
}

export interface BlockSetting {
  schema: TSchema;
  doc: string;
  required?: boolean;
}

/**
 * Each parameter from what the spec wrote (a value or a space) or, left out, its default space:
 * a block's, a head's, or the optimizer's.
 */
export function resolveParams(params: Record<string, ParamDef>, hp: Pick<HpScope, 'get'>, written: Record<string, unknown>): Params {
  const values: Params = {};
  for (const [param, pdef] of Object.entries(params)) {
    values[param] = hp.get(param, written[param] !== undefined ? toHpDef(written[param]) : pdef.default);
  }
  return values;
}

export function resolveBlock(def: BlockDef, hp: HpScope, written: Record<string, unknown>): Params {
  return def.resolve ? def.resolve(hp, written) : resolveParams(def.params, hp, written);
}

/** Rank of a symbolic tensor without the batch dimension: 3 image-like, 2 sequence, 1 vector. */
export const featureRank = (t: Sym): number => t.shape.length - 1;

export function makeContext(
  name: string,
  forExport: boolean,
  stats?: BuildContext['stats'],
  counter = new Map<string, number>(),
  vocabSize?: number,
  dir?: string,
): BuildContext {
  return {
    name,
    forExport,
    stats,
    vocabSize,
    dir,
    layerName(kind) {
      const n = (counter.get(`${name}_${kind}`) ?? 0) + 1;
      counter.set(`${name}_${kind}`, n);
      return `${name}_${kind}_${n}`;
    },
    child(sub) {
      return makeContext(`${name}_${sub}`, forExport, stats, counter, vocabSize, dir);
    },
  };
}
