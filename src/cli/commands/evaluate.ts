import * as fs from 'node:fs';
import { Command } from 'commander';
import { BackendChoice, initEngine } from '../../engine/backend';
import { BACKEND_CHOICES } from '../../engine/choices';
import { evaluateFile } from '../../export/evaluate';
import { formatEvaluation } from '../../export/evaluate-text';
import { oneOf, UsageError } from '../errors';

export function evaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description("score a saved model on labelled rows: every head's metrics and confusion matrix")
    .requiredOption('--model <dir>', 'an exported model directory (automm export) or runs/<name>/best')
    .requiredOption('--data <file>', 'a table (.csv, .tsv, .jsonl, .json) with the input columns and the head columns')
    .option('--json', 'print JSON instead of text')
    .option('--backend <name>', `engine: ${BACKEND_CHOICES.join('|')} (default auto)`, oneOf('--backend', BACKEND_CHOICES), 'auto')
    .action(async (flags: { model: string; data: string; json?: boolean; backend: BackendChoice }) => {
      if (!fs.existsSync(flags.data)) throw new UsageError(`--data ${flags.data}: file not found; give a labelled .csv, .tsv, .jsonl or .json table`);
      await initEngine(flags.backend);
      const heads = await evaluateFile(flags.model, flags.data);
      process.stdout.write(flags.json ? JSON.stringify({ model: flags.model, data: flags.data, heads }, null, 2) + '\n' : formatEvaluation(heads));
    });
}
