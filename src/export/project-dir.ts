/** Which project a command means when --project is left out: the newest search under runs/. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProjectError, paths } from '../search/project';

export function resolveProject(project: string | undefined, root = 'runs'): string {
  if (project) {
    if (!fs.existsSync(paths(project).leaderboard)) throw new ProjectError(`${project}: no search here (no leaderboard.json); run \`automm search spec.yaml\` first`);
    return project;
  }
  const candidates = fs.existsSync(root)
    ? fs.readdirSync(root).map((d) => path.join(root, d)).filter((d) => fs.existsSync(paths(d).leaderboard))
    : [];
  if (candidates.length === 0) throw new ProjectError(`no search found under ${root}/; run \`automm search spec.yaml\` first, or pass --project runs/<name>`);
  return candidates.sort((a, b) => fs.statSync(paths(b).leaderboard).mtimeMs - fs.statSync(paths(a).leaderboard).mtimeMs)[0];
}
