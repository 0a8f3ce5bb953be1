import { Command } from 'commander';
import { resolveProject } from '../../export/project-dir';
import { formatSummary, summarize } from '../../export/summary';
import { initEngine } from '../../engine/backend';

export function summaryCommand(program: Command): void {
  program
    .command('summary')
    .description('the leaderboard, the best hyperparameters and the best model layer by layer')
    .option('--project <dir>', 'the search directory (default: the newest under runs/)')
    .option('--json', 'print JSON instead of text')
    .action(async (flags: { project?: string; json?: boolean }) => {
      await initEngine('cpu');
      const summary = await summarize(resolveProject(flags.project));
      process.stdout.write(flags.json ? JSON.stringify(summary, null, 2) + '\n' : formatSummary(summary));
    });
}
