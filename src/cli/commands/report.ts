import { Command } from 'commander';
import { resolveProject } from '../../export/project-dir';
import { initEngine } from '../../engine/backend';
import { writeReport } from '../../report/write';
import { sayProject } from './project-note';

export function reportCommand(program: Command): void {
  program
    .command('report')
    .description('write <project>/report.html again: leaderboard, curves, hyperparameters, best model, test set, data profile')
    .option('--project <dir>', 'the search directory (default: the newest under runs/)')
    .option('--out <file>', 'where to write (default: <project>/report.html)')
    .action(async (flags: { project?: string; out?: string }) => {
      const project = resolveProject(flags.project);
      sayProject(project, flags.project);
      await initEngine('cpu');
      process.stdout.write(`report: ${await writeReport(project, flags.out)}\n`);
    });
}
