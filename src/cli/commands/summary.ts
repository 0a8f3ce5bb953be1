import { Command } from 'commander';
import { resolveProject } from '../../export/project-dir';
import { formatSummary, summarize } from '../../export/summary';
import { initEngine } from '../../engine/backend';
import { sayProject } from './project-note';
import { UsageError } from '../errors';

export function summaryCommand(program: Command): void {
  program
    .command('summary')
    .description('the leaderboard, the best hyperparameters and the best model layer by layer')
    .option('--project <dir>', 'the search directory (default: the newest under runs/)')
    .option('--json', 'print JSON instead of text')
    .option('--graph <file>', "also draw the best model's architecture (like Keras plot_model) to FILE.svg or FILE.png")
    .action(async (flags: { project?: string; json?: boolean; graph?: string }) => {
      if (flags.graph && !/\.(svg|png)$/i.test(flags.graph)) throw new UsageError(`--graph ${flags.graph}: the diagram is written as .svg or .png; name the file so`);
      const project = resolveProject(flags.project);
      sayProject(project, flags.project);
      await initEngine('cpu');
      const summary = await summarize(project, flags.graph);
      process.stdout.write(flags.json ? JSON.stringify(summary, null, 2) + '\n' : formatSummary(summary));
      if (flags.graph) process.stderr.write(`architecture diagram: ${flags.graph}\n`);
    });
}
