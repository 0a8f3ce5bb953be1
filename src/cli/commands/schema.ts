import { Command } from 'commander';
import { printableSchema } from '../../spec/schema';
import { referenceMarkdown } from '../../spec/reference';

export function schemaCommand(program: Command): void {
  program
    .command('schema')
    .description('print the spec JSON schema (for editors: yaml-language-server, VS Code)')
    .option('--markdown', "print the README's spec reference (every block, head and default space) instead")
    .action((flags: { markdown?: boolean }) => {
      process.stdout.write(flags.markdown ? referenceMarkdown() + '\n' : JSON.stringify(printableSchema(), null, 2) + '\n');
    });
}
