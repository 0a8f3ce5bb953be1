import { Command } from 'commander';
import { loadSpec } from '../../spec/validate';
import { planGraph } from '../../graph/plan';

export function validateCommand(program: Command): void {
  program
    .command('validate')
    .description('check a spec and report every problem with file:line:col; trains nothing')
    .argument('<spec>', 'the spec file (YAML)')
    .action((file: string) => {
      const spec = loadSpec(file);
      const plan = planGraph(spec);
      process.stdout.write(`${file}: valid (${plan.inputs.length} inputs, ${plan.blocks.length} blocks${spec.basic ? ' chosen by automm' : ''}, ${plan.heads.length} heads)\n`);
    });
}
