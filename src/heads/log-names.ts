/**
 * The names training logs under: `loss` (weighted by loss_weights), `unweighted_loss`,
 * `<head>_loss` (that head's own loss) and `<head>_<metric>`; validation logs add `val_`, test-set
 * scores `test_`. One scheme for the trainer, which writes the logs, and the spec checks, which
 * accept an objective only if it names one of them.
 */
export const headLossName = (head: string): string => `${head}_loss`;
export const headMetricName = (head: string, metric: string): string => `${head}_${metric}`;

/** A head's own logs, in the order the trainer computes them. */
export const headLogNames = (head: string, metrics: readonly { name: string }[]): string[] =>
  [headLossName(head), ...metrics.map((m) => headMetricName(head, m.name))];

/**
 * Every training and validation name of a model with these heads: training logs the batch metrics,
 * validation the heads' whole-set scores (which include those metrics).
 */
export function loggedNames(heads: readonly { name: string; metrics: readonly { name: string }[]; scores: readonly string[] }[]): string[] {
  const names = ['loss', 'unweighted_loss', ...heads.flatMap((h) => headLogNames(h.name, h.metrics))];
  const scores = heads.flatMap((h) => h.scores.map((s) => `val_${headMetricName(h.name, s)}`));
  return [...new Set([...names, ...names.map((n) => `val_${n}`), ...scores])];
}
