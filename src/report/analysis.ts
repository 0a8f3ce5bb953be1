/**
 * analysis.json: what the report needs that only the data can tell, computed once while the data is
 * loaded at the end of a search: data.test scored in detail on the final model, and the training
 * data's profile. `automm report` then rebuilds the page from the project's files alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PreparedData } from '../data/source';
import { loadModelDir } from '../export/artifacts';
import { evaluateSplit, HeadEvaluation } from '../export/evaluate';
import { Leaderboard, paths } from '../search/project';
import type { Spec } from '../spec/types';
import { readJson, writeJsonAtomic } from '../util/atomic';
import { DataProfile, profileData } from './profile';
import { FILE } from '../util/file-names';

export interface Analysis {
  /** data.test on the final model (best/), when there is a test set and a best model. */
  test?: HeadEvaluation[];
  profile: DataProfile;
}

export async function writeAnalysis(project: string, board: Leaderboard, data: PreparedData, spec: Spec): Promise<Analysis> {
  const analysis: Analysis = { profile: await profileData(spec, data) };
  if (data.test && board.best && fs.existsSync(path.join(paths(project).best, FILE.model))) {
    const model = await loadModelDir(paths(project).best);
    try {
      analysis.test = await evaluateSplit(model, data.test, data.heads);
    } finally {
      model.dispose();
    }
  }
  writeJsonAtomic(paths(project).analysis, analysis);
  return analysis;
}

export function readAnalysis(project: string): Analysis | undefined {
  const file = paths(project).analysis;
  return fs.existsSync(file) ? readJson<Analysis>(file) : undefined;
}
