/** automm's command line: this file only adds the commands. */
import { Command } from 'commander';
import { commanderExit, handleError, quietOnBrokenPipe } from './errors';
import { packageVersion } from '../util/package-info';
import { searchCommand } from './commands/search';
import { validateCommand } from './commands/validate';
import { schemaCommand } from './commands/schema';
import { exportCommand } from './commands/export';
import { summaryCommand } from './commands/summary';
import { predictCommand } from './commands/predict';
import { reportCommand } from './commands/report';
import { evaluateCommand } from './commands/evaluate';
import { serveCommand } from './commands/serve';
import { workerCommand } from './commands/worker';

export async function main(argv: string[]): Promise<void> {
  quietOnBrokenPipe();
  const program = new Command('automm')
    .description('AutoML for multi-modal, multi-task models from one YAML spec, on TensorFlow.js')
    .version(packageVersion())
    .showHelpAfterError()
    .exitOverride(commanderExit);
  for (const add of [searchCommand, validateCommand, schemaCommand, exportCommand, summaryCommand, predictCommand, serveCommand, workerCommand, evaluateCommand, reportCommand]) add(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    handleError(err);
  }
}

if (require.main === module) void main(process.argv);
