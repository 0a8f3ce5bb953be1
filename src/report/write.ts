/** Gathers a project's records and writes runs/<name>/report.html. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadModelDir, MODEL_JSON } from '../export/artifacts';
import { REFIT_ID } from '../search/best';
import type { RefitRecord } from '../search/types';
import { paths, readLeaderboard } from '../search/project';
import type { Trial } from '../search/trial';
import { readJson, writeFileAtomic } from '../util/atomic';
import { readAnalysis } from './analysis';
import { modelSvg } from './diagram';
import { renderReport } from './html';
import { modelLayers } from './layers';

/**
 * Writes the report (and returns its path); `out` defaults to <project>/report.html. `best`: the
 * best model when the caller has it loaded already; else it is read from best/.
 */
export async function writeReport(project: string, out = paths(project).report, best?: tfl.LayersModel): Promise<string> {
  const p = paths(project);
  const board = readLeaderboard(project);
  const trials = board.trials.map((t) => (fs.existsSync(p.trialJson(t.id)) ? readJson<Trial>(p.trialJson(t.id)) : ({ ...t, space: {}, seed: 0, history: [] } as Trial)));
  const refit = fs.existsSync(p.trialJson(REFIT_ID)) && board.best ? readJson<RefitRecord>(p.trialJson(REFIT_ID)) : undefined;
  const analysis = readAnalysis(project);
  writeFileAtomic(out, renderReport({ board, trials, refit, diagram: best ? await diagramOf(best) : await bestDiagram(project), test: analysis?.test, profile: analysis?.profile, generated: new Date() }));
  return out;
}

async function bestDiagram(project: string): Promise<string | undefined> {
  const dir = paths(project).best;
  if (!fs.existsSync(path.join(dir, MODEL_JSON))) return undefined;
  const model = await loadModelDir(dir);
  try {
    return await diagramOf(model);
  } finally {
    model.dispose();
  }
}

const diagramOf = async (model: tfl.LayersModel) => stripProlog(await modelSvg(modelLayers(model), 'best model'));

/** Inline SVG in HTML takes no XML declaration or DOCTYPE (the DOCTYPE names a DTD by URL). */
const stripProlog = (svg: string) => svg.slice(svg.indexOf('<svg'));
