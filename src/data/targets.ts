/**
 * Head targets from a table column, through each head type's data module (src/heads/data): what
 * is learned from the training rows, how cells become targets, and the head's info.
 */
import type { HeadSpec } from '../spec/types';
import type { HeadInfo } from './source';
import { headData } from '../heads/data/registry';
import type { TargetEncoder, TargetLearner } from '../heads/data/head-data';
import type { ClassificationState } from '../heads/data/classification';
import type { RegressionState } from '../heads/data/regression';

export type { TargetEncoder, TargetLearner } from '../heads/data/head-data';
export type { ClassificationState } from '../heads/data/classification';
export type { RegressionState } from '../heads/data/regression';

export type TargetState = ClassificationState | RegressionState;

export const headInfo = (name: string, type: HeadSpec['type'], state: TargetState): HeadInfo => headData(type).info(name, state);

export const targetLearner = (column: string, head: HeadSpec): TargetLearner => headData(head.type).learner(column, head);

/** `split` names the rows in messages about classes the training rows never had ("validation"). */
export const targetEncoder = (state: TargetState & { type: HeadInfo['type'] }, split: string): TargetEncoder => headData(state.type).encoder(state, split);
