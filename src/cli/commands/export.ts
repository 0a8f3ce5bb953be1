import * as path from 'node:path';
import { Command } from 'commander';
import { exportBest } from '../../export/export';
import { resolveProject } from '../../export/project-dir';
import { UsageError } from '../errors';
import { sayProject } from './project-note';

export function exportCommand(program: Command): void {
  program
    .command('export')
    .description('write the best model (TensorFlow.js layers format) and its preprocessing.json')
    .option('--best', 'export the best trial (the only choice for now; kept explicit for scripts)')
    .option('--project <dir>', 'the search directory (default: the newest under runs/)')
    .option('--out <dir>', 'where to write (default: <project>/export)')
    .action(async (flags: { best?: boolean; project?: string; out?: string }) => {
      if (!flags.best) throw new UsageError('export needs --best (which trial to export)');
      const project = resolveProject(flags.project);
      sayProject(project, flags.project);
      const out = flags.out ?? path.join(project, 'export');
      const files = await exportBest(project, out, (m) => process.stderr.write(`automm: ${m}\n`));
      process.stdout.write(`exported ${project} best model:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
    });
}
