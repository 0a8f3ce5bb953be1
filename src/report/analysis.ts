/**
 * analysis.json: what the report needs that only the data can tell, computed once while the data is
 * loaded at the end of a search: data.test scored in detail on the final model, and the training
 * data's profile. `automm report` then rebuilds the page from the project's files alone.
 */
import * as fs from 'node:fs';
import type { PreparedData } from '../data/source';
import type * as tfl from '@tensorflow/tfjs-layers';
import { evaluateSplit, HeadEvaluation } from '../export/evaluate';
import { paths } from '../search/project';
import type { Spec } from '../spec/types';
import { readJson, writeJsonAtomic } from '../util/atomic';
import { DataProfile, profileData } from './profile';

export interface Analysis {
  /** data.test on the final model (best/), when there is a test set and a best model. */
  test?: HeadEvaluation[];
  profile: DataProfile;
}

/** `best`: the search's final model (best/), when it has one. */
export async function writeAnalysis(project: string, data: PreparedData, spec: Spec, best: tfl.LayersModel | undefined): Promise<Analysis> {
  const analysis: Analysis = { profile: await profileData(spec, data) };
  if (data.test && best) analysis.test = await evaluateSplit(best, data.test, data.heads);
  writeJsonAtomic(paths(project).analysis, analysis);
  return analysis;
}

export function readAnalysis(project: string): Analysis | undefined {
  const file = paths(project).analysis;
  return fs.existsSync(file) ? readJson<Analysis>(file) : undefined;
}
