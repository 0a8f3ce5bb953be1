/** Training logs under one naming scheme (heads/log-names.ts), whatever the number of heads. */
import { headLossName, headMetricName } from '../../heads/log-names';
import type { EpochLogs } from '../trial';
import type { CompiledHead } from './compile';

/**
 * Training logs under stable names whatever the number of heads: loss, <head>_loss (unweighted),
 * <head>_<metric>. tfjs-layers drops the head prefix for single-output models.
 */
export function normaliseLogs(raw: Record<string, number>, heads: CompiledHead[]): EpochLogs {
  const logs: EpochLogs = {};
  logs.loss = raw.loss;
  const single = heads.length === 1;
  for (const h of heads) {
    // tfjs-layers prefixes a multi-output model's logs with the output name, as our scheme does.
    const weighted = single ? raw.loss : raw[headLossName(h.name)];
    logs[headLossName(h.name)] = h.weight > 0 ? weighted / h.weight : NaN;
    for (const m of h.metrics) logs[headMetricName(h.name, m.name)] = single ? raw[m.name] : raw[headMetricName(h.name, m.name)];
  }
  logs.unweighted_loss = unweightedLoss(logs, heads);
  return logs;
}

/** The heads' own losses summed: comparable across trials whose loss weights differ. */
export const unweightedLoss = (logs: EpochLogs, heads: CompiledHead[], prefix = '') => heads.reduce((sum, h) => sum + logs[prefix + headLossName(h.name)], 0);
