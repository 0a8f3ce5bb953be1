/** Gathers a project's records and writes runs/<name>/report.html. */
import * as fs from 'node:fs';
import { loadModelDir } from '../export/artifacts';
import { REFIT_ID, RefitRecord } from '../search/best';
import { paths, readLeaderboard } from '../search/project';
import type { Trial } from '../search/trial';
import { readJson, writeFileAtomic } from '../util/atomic';
import { readAnalysis } from './analysis';
import { modelSvg } from './diagram';
import { renderReport } from './html';
import { modelLayers } from './layers';

/** Writes the report (and returns its path); `out` defaults to <project>/report.html. */
export async function writeReport(project: string, out = paths(project).report): Promise<string> {
  const p = paths(project);
  const board = readLeaderboard(project);
  const trials = board.trials.map((t) => (fs.existsSync(p.trialJson(t.id)) ? readJson<Trial>(p.trialJson(t.id)) : ({ ...t, space: {}, seed: 0, history: [] } as Trial)));
  const refit = fs.existsSync(p.trialJson(REFIT_ID)) && board.best ? readJson<RefitRecord>(p.trialJson(REFIT_ID)) : undefined;
  const analysis = readAnalysis(project);
  writeFileAtomic(out, renderReport({ board, trials, refit, diagram: await bestDiagram(project), test: analysis?.test, profile: analysis?.profile, generated: new Date() }));
  return out;
}

async function bestDiagram(project: string): Promise<string | undefined> {
  const dir = paths(project).best;
  if (!fs.existsSync(`${dir}/model.json`)) return undefined;
  const model = await loadModelDir(dir);
  try {
    return stripProlog(await modelSvg(modelLayers(model), 'best model'));
  } finally {
    model.dispose();
  }
}

/** Inline SVG in HTML takes no XML declaration or DOCTYPE (the DOCTYPE names a DTD by URL). */
const stripProlog = (svg: string) => svg.slice(svg.indexOf('<svg'));
