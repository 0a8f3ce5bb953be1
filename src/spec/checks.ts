/**
 * Cross-field checks, Ludwig-style: small functions in one list, each returning every problem it
 * finds with the key path it belongs to. They run only on a spec that passed the schema.
 */
import type { RawSpec } from './schema';
import type { KeyPath } from './load';
import { HEADS } from '../heads/registry';
import { loggedNames } from '../heads/log-names';
import { suggestion } from '../util/suggest';
import { UNWEIGHTED_OBJECTIVE, objectiveOf, searchesLossWeights } from './defaults';
import { blockInputs } from './types';
import { resourceProblems } from './resources';
import { pretrainedProblems } from '../pretrained/checks';

import type { CheckProblem } from './check-problem';

export type { CheckProblem } from './check-problem';
/** `file`: the spec's path, for checks that read files it names (relative to its folder). */
type Check = (spec: RawSpec, file: string) => CheckProblem[];

const blocksOf = (spec: RawSpec) => spec.blocks ?? {};

/** Every (node, key path of the reference, referenced name) edge of the graph. */
function references(spec: RawSpec): Array<{ from: string; path: KeyPath; to: string }> {
  const refs: Array<{ from: string; path: KeyPath; to: string }> = [];
  for (const [name, b] of Object.entries(blocksOf(spec))) {
    if (b.input !== undefined) refs.push({ from: name, path: ['blocks', name, 'input'], to: b.input });
    (b.inputs ?? []).forEach((to, i) => refs.push({ from: name, path: ['blocks', name, 'inputs', i], to }));
  }
  for (const [name, h] of Object.entries(spec.heads)) {
    if (h.input !== undefined) refs.push({ from: name, path: ['heads', name, 'input'], to: h.input });
  }
  return refs;
}

const unknownNodes: Check = (spec) => {
  const known = [...Object.keys(spec.inputs), ...Object.keys(blocksOf(spec))];
  return references(spec)
    .filter((r) => !known.includes(r.to))
    .map((r) => ({
      path: r.path,
      message: Object.keys(spec.heads).includes(r.to)
        ? `"${r.to}" is a head; heads are outputs and cannot feed other nodes`
        : `unknown node "${r.to}"; ${suggestion(r.to, known)}`,
    }));
};

/** Input layers, block layers and output layers share one namespace in the compiled model. */
const nameClashes: Check = (spec) => {
  const owners = new Map<string, string>();
  const problems: CheckProblem[] = [];
  for (const section of ['inputs', 'blocks', 'heads'] as const) {
    for (const name of Object.keys(spec[section] ?? {})) {
      const owner = owners.get(name);
      if (owner) problems.push({ path: [section, name], message: `the name "${name}" is already used in ${owner}; node names must be unique`, at: 'key' });
      else owners.set(name, section);
    }
  }
  return problems;
};

const cycles: Check = (spec) => {
  const blocks = blocksOf(spec);
  const state = new Map<string, 'visiting' | 'done'>();
  const problems: CheckProblem[] = [];
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done' || !(name in blocks)) return;
    if (state.get(name) === 'visiting') {
      const loop = [...trail.slice(trail.indexOf(name)), name];
      problems.push({ path: ['blocks', name], message: `the network has a cycle: ${loop.join(' -> ')}`, at: 'key' });
      return;
    }
    state.set(name, 'visiting');
    const b = blocks[name];
    for (const next of blockInputs(b)) visit(next, [...trail, name]);
    state.set(name, 'done');
  };
  Object.keys(blocks).forEach((n) => visit(n, []));
  return problems;
};

/** In the advanced graph every input must reach a head and every head must read something. */
const connectivity: Check = (spec) => {
  const blocks = blocksOf(spec);
  if (Object.keys(blocks).length === 0) return [];
  const problems: CheckProblem[] = [];
  for (const [name, h] of Object.entries(spec.heads)) {
    if (h.input === undefined) problems.push({ path: ['heads', name], message: 'missing required key "input": with blocks given, every head names the node it reads', at: 'key' });
  }
  const feeds = new Map<string, string[]>();
  for (const r of references(spec)) feeds.set(r.from, [...(feeds.get(r.from) ?? []), r.to]);
  const used = new Set<string>();
  const walk = (n: string) => { if (!used.has(n)) { used.add(n); (feeds.get(n) ?? []).forEach(walk); } };
  Object.keys(spec.heads).forEach(walk);
  for (const name of Object.keys(spec.inputs)) {
    if (!used.has(name)) problems.push({ path: ['inputs', name], message: `input "${name}" is not connected to any head`, at: 'key' });
  }
  for (const name of Object.keys(blocks)) {
    if (!used.has(name)) problems.push({ path: ['blocks', name], message: `block "${name}" is not connected to any head`, at: 'key' });
  }
  return problems;
};

const lossWeightKeys: Check = (spec) => {
  const heads = Object.keys(spec.heads);
  if (Array.isArray(spec.loss_weights)) {
    if (spec.loss_weights.length === heads.length) return [];
    return [{ path: ['loss_weights'], message: `a list of loss weights needs one per head, in the order heads are written (${heads.join(', ')}); got ${spec.loss_weights.length} for ${heads.length}` }];
  }
  return Object.keys(spec.loss_weights ?? {})
    .filter((k) => !(k in spec.heads))
    .map((k) => ({ path: ['loss_weights', k], message: `"${k}" is not a head; ${suggestion(k, heads)}`, at: 'key' as const }));
};

/** Every name the trainer logs for this spec's heads (see heads/log-names.ts). */
export function loggedMetricNames(spec: RawSpec): string[] {
  return loggedNames(Object.entries(spec.heads).map(([name, h]) => {
    const def = HEADS[h.type];
    return { name, metrics: def.metrics(def.info(name, h), h), scores: def.scores };
  }));
}

const objectiveName: Check = (spec) => {
  const written = spec.search?.objective;
  if (written === undefined) return [];
  const { metric } = objectiveOf(written);
  const known = loggedMetricNames(spec);
  const path: KeyPath = typeof written === 'string' ? ['search', 'objective'] : ['search', 'objective', 'metric'];
  if (searchesLossWeights(spec.loss_weights) && /^(val_)?loss$/.test(metric)) {
    return [{ path, message: `"${metric}" weighs heads by the loss weights being searched, so trials could not be compared; use ${UNWEIGHTED_OBJECTIVE} or a head's metric` }];
  }
  if (known.includes(metric)) return [];
  return [{ path, message: `unknown metric "${metric}"; ${suggestion(metric, known)}` }];
};

/** Random data makes up columns, so it needs their number; names and "rest" need a table. */
const randomDataColumns: Check = (spec) => {
  if (spec.data.source !== 'random') return [];
  return Object.entries(spec.inputs)
    .filter(([, i]) => i.type === 'structured' && i.columns === 'rest')
    .map(([name]) => ({ path: ['inputs', name, 'columns'], message: 'expected a number of columns with data.source: random, got "rest" (rest needs a table)' }));
};

/** Head names whose logged loss (<head>_loss) would collide with a total: val_loss, unweighted_loss, test_loss. */
export const RESERVED_HEAD_NAMES = ['val', 'unweighted', 'test'];

const reservedHeadNames: Check = (spec) =>
  Object.keys(spec.heads)
    .filter((name) => RESERVED_HEAD_NAMES.includes(name))
    .map((name) => ({ path: ['heads', name], message: `"${name}" is reserved: this head's loss would be logged as ${name}_loss, the name of a total; choose another name`, at: 'key' as const }));

/** Settings of a head that contradict each other (the head's own problems(), also thrown when it is compiled). */
const headSettings: Check = (spec) =>
  Object.entries(spec.heads).flatMap(([name, h]) => {
    const def = HEADS[h.type];
    return (def.problems?.(def.info(name, h), h) ?? []).map((message) => ({ path: ['heads', name, h.loss !== undefined ? 'loss' : 'type'], message }));
  });

export const CHECKS: Check[] = [unknownNodes, nameClashes, cycles, connectivity, lossWeightKeys, objectiveName, randomDataColumns, reservedHeadNames, headSettings, (spec) => resourceProblems(spec), pretrainedProblems];
