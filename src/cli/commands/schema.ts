import { Command } from 'commander';
import { printableSchema } from '../../spec/schema';

export function schemaCommand(program: Command): void {
  program
    .command('schema')
    .description('print the spec JSON schema (for editors: yaml-language-server, VS Code)')
    .action(() => process.stdout.write(JSON.stringify(printableSchema(), null, 2) + '\n'));
}
