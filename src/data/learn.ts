/** The second pass: every input's and head's preprocessing, learned from the training rows only. */
import type { Layout } from './columns';
import type { ProblemLog } from './errors';
import type { Inference } from './infer';
import type { ImageState } from './image';
import type { Table } from './read-table';
import { ROLE } from './split';
import { featureLearner, FeatureLearner, StructuredFeature } from './structured';
import { TargetLearner, targetLearner, TargetState } from './targets';
import { textLearner, TextState } from './text';

export type LearnedInput = ImageState | TextState | { features: StructuredFeature[] };

export interface LearnedStates {
  inputs: Map<string, LearnedInput>;
  heads: Map<string, TargetState>;
}

/** What learns one input from its cells. */
interface InputLearner {
  add(cells: readonly unknown[], index: readonly number[]): void;
  fit(): LearnedInput;
}

export async function learnStates(table: Table, layout: Layout, roles: Uint8Array, expectedRows: number, types: Map<string, Inference>, log: ProblemLog): Promise<LearnedStates> {
  const inputs = layout.inputs.map((input) => ({ name: input.name, index: input.index, learner: inputLearner(input, types) }));
  const heads = layout.heads.map((head) => ({ name: head.name, column: head.column, index: head.index, learner: targetLearner(head.column, head.spec) as TargetLearner }));
  let position = 0;
  for await (const chunk of table.chunks()) {
    for (const row of chunk) {
      if (roles[position++] !== ROLE.train) continue;
      for (const input of inputs) input.learner.add(row.cells, input.index);
      for (const head of heads) head.learner.add(row.cells[head.index]);
    }
  }
  if (position !== expectedRows) log.fatal(table.display, `the file changed while it was read (${expectedRows} rows, then ${position})`);
  const learned: LearnedStates = { inputs: new Map(), heads: new Map() };
  for (const input of inputs) learned.inputs.set(input.name, input.learner.fit());
  for (const head of heads) {
    const state = head.learner.fit();
    if (typeof state === 'string') log.fatal(table.display, `(heads.${head.name}) ${state}`, head.column);
    else learned.heads.set(head.name, state);
  }
  return learned;
}

function inputLearner(input: Layout['inputs'][number], types: Map<string, Inference>): InputLearner {
  const spec = input.spec;
  if (spec.type === 'image') {
    const state: ImageState = { column: input.columns[0], shape: [...spec.shape!], resize: 'stretch-linear', scale: 'divide-255' };
    return { add: () => undefined, fit: () => state };
  }
  if (spec.type === 'text') {
    const text = textLearner(input.columns[0], spec.max_tokens!, spec.sequence_length!);
    return { add: (cells, index) => text.add(cells[index[0]]), fit: () => text.fit() };
  }
  const features: FeatureLearner[] = input.columns.map((c) => featureLearner(c, types.get(c)!.type));
  return {
    add(cells, index) {
      for (let i = 0; i < features.length; i++) features[i].add(cells[index[i]]);
    },
    fit: () => ({ features: features.map((f) => f.fit()) }),
  };
}
