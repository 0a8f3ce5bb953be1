import { BlockDef, Params, resolveParams } from './block';
import type { HpScope } from '../search/hp';

/**
 * Resolves only some of a block's parameters: conditional ones (a sub-block's settings, a size
 * used by one encoding) are asked for only when they apply, so the oracle never searches a
 * parameter that has no effect, KerasTuner's conditional scopes in plain code.
 */
export function resolveSubset(def: BlockDef, keys: string[], hp: HpScope, written: Record<string, unknown>): Params {
  return resolveParams(Object.fromEntries(keys.map((k) => [k, def.params[k]])), hp, written);
}
