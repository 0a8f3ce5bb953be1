/**
 * What a finished search leaves besides models, written while its data is still loaded:
 * analysis.json (data.test in detail, the data profile), the best model's graph for TensorBoard,
 * and report.html.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PreparedData } from '../data/source';
import { loadModelDir, MODEL_JSON } from '../export/artifacts';
import { Leaderboard, paths } from '../search/project';
import type { Spec } from '../spec/types';
import { writeModelGraph } from '../tensorboard/logs';
import { writeAnalysis } from './analysis';
import { writeReport } from './write';

/** Returns the report's path when one was written. */
export async function writeSearchOutputs(project: string, board: Leaderboard, data: PreparedData, spec: Spec, options: { report: boolean }): Promise<{ report?: string }> {
  // An interrupted search has a best trial but no best/ (it is saved when the search finishes).
  // The best model is loaded (and its checksum verified) once for all three outputs.
  const model = board.best && fs.existsSync(path.join(paths(project).best, MODEL_JSON)) ? await loadModelDir(paths(project).best) : undefined;
  try {
    await writeAnalysis(project, data, spec, model);
    if (model) writeModelGraph(paths(project).tensorboard, board.best!, model);
    return options.report ? { report: await writeReport(project, undefined, model) } : {};
  } finally {
    model?.dispose();
  }
}
