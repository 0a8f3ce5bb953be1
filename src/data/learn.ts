/** The second pass: every input's and head's preprocessing, learned from the training rows only. */
import type { Spec } from '../spec/types';
import type { Layout } from './columns';
import type { ProblemLog } from './errors';
import type { Inference } from './infer';
import type { Table } from './read-table';
import { ROLE } from './split';
import { headInfo, TargetLearner, targetLearner, TargetState } from './targets';
import type { Sources } from './open-tables';
import type { Preprocessing } from './source';
import { PREPROCESSING_VERSION, SavedHead, SavedInput } from './transform';
import { inputDef } from '../inputs/registry';

/** An input's learned state, as its type's module defines it. */
export type LearnedInput = Record<string, unknown>;

export interface LearnedStates {
  inputs: Map<string, LearnedInput>;
  heads: Map<string, TargetState>;
}

export async function learnStates(table: Table, layout: Layout, roles: Uint8Array, expectedRows: number, types: Map<string, Inference>, log: ProblemLog): Promise<LearnedStates> {
  // One cells array per input, refilled for every row: learners read a row's cells and keep none.
  const inputs = layout.inputs.map((input) => ({ name: input.name, index: input.index, cells: Array.from<unknown>({ length: input.index.length }), learner: inputDef(input.spec.type).learner(input.spec, input.columns, types) }));
  const heads = layout.heads.map((head) => ({ name: head.name, column: head.column, index: head.index, learner: targetLearner(head.column, head.spec) as TargetLearner }));
  let position = 0;
  for await (const chunk of table.chunks()) {
    for (const row of chunk) {
      if (roles[position++] !== ROLE.train) continue;
      for (const { index, cells, learner } of inputs) {
        for (let i = 0; i < index.length; i++) cells[i] = row.cells[index[i]];
        learner.add(cells);
      }
      for (const head of heads) head.learner.add(row.cells[head.index]);
    }
  }
  if (position !== expectedRows) log.fatal(table.display, `the file changed while it was read (${expectedRows} rows, then ${position})`);
  const learned: LearnedStates = { inputs: new Map(), heads: new Map() };
  for (const input of inputs) learned.inputs.set(input.name, input.learner.fit());
  for (const head of heads) {
    const state = head.learner.fit();
    if (typeof state === 'string') log.fatal(table.display, `(heads.${head.name}) ${state}`, head.column);
    else learned.heads.set(head.name, state as TargetState);
  }
  return learned;
}

/** preprocessing.json: each input's and head's info plus what it takes to redo its transformation. */
export function savedPreprocessing(spec: Spec, sources: Sources, learned: LearnedStates, types: Map<string, Inference>): Preprocessing {
  const inputs: Record<string, SavedInput> = {};
  for (const [name, state] of learned.inputs) {
    const written = spec.inputs[name];
    inputs[name] = inputDef(written.type).saved(name, written, state);
  }
  const heads: Record<string, SavedHead> = {};
  for (const [name, state] of learned.heads) heads[name] = { ...headInfo(name, spec.heads[name].type, state), ...state };
  const source = spec.data.source;
  return {
    source: sources.kind,
    version: PREPROCESSING_VERSION,
    table: {
      file: typeof source === 'string' ? source : source.images,
      format: sources.tables.train.format,
      columnTypes: Object.fromEntries([...types].map(([c, t]) => [c, t])),
    },
    inputs: inputs as unknown as Preprocessing['inputs'],
    heads: heads as unknown as Preprocessing['heads'],
  };
}
