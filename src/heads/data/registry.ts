/**
 * The data side of every head type, by type: one line per type, beside heads/registry.ts (which
 * holds the model side: output layer, loss, metrics). Kept apart so the browser bundle, which
 * decodes predictions, does not carry the layers code.
 */
import { classificationData } from './classification';
import type { HeadInfo } from '../../data/source';
import type { HeadData } from './head-data';
import { regressionData } from './regression';

export const HEAD_DATA: Record<string, HeadData> = {
  classification: classificationData,
  regression: regressionData,
};

/** Numbers per row of a head's output and target (two exclusive classes: one 0/1 column). */
export const outputWidth = (info: HeadInfo): number => headData(info.type).width(info);

/**
 * The data side of a head type. Every saved head names its type (preprocessing.json has written
 * `type` beside each head's state since its first version), so nothing is guessed from a state's fields.
 */
export function headData(type: string): HeadData {
  const def = HEAD_DATA[type];
  if (!def) throw new Error(`unknown head type "${type}"; known: ${Object.keys(HEAD_DATA).join(', ')}`);
  return def;
}
