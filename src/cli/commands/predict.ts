import * as fs from 'node:fs';
import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../engine/backend';
import { loadModelWithPreprocessing, predictTable, randomInputs, toCsv } from '../../export/predict';
import { writeFileAtomic } from '../../util/atomic';
import { positiveInt, UsageError } from '../errors';

export function predictCommand(program: Command): void {
  program
    .command('predict')
    .description('predict with an exported model: one column per regression output, class and probabilities per classification head')
    .requiredOption('--model <dir>', 'an exported model directory (automm export) or runs/<name>/best')
    .requiredOption('--data <source>', '"random" (made-up rows of the right shapes) or a table file')
    .option('--rows <n>', 'rows of random data', positiveInt('--rows'), 8)
    .option('--out <file>', 'write CSV here instead of standard output')
    .option('--backend <name>', 'engine (default auto)', 'auto')
    .action(async (flags: { model: string; data: string; rows: number; out?: string; backend: string }) => {
      if (!fs.existsSync(`${flags.model}/model.json`)) throw new UsageError(`--model ${flags.model}: no model.json there; export one with \`automm export --best\``);
      await initEngine(flags.backend as never);
      const { model, preprocessing } = await loadModelWithPreprocessing(flags.model);
      if (flags.data !== 'random') throw new UsageError(`--data ${flags.data}: predicting from table files needs the table data source, not available in this build; use --data random`);
      const inputs = randomInputs(preprocessing.inputs, flags.rows);
      const csv = toCsv(predictTable(model, preprocessing, inputs));
      tf.dispose(Object.values(inputs));
      if (flags.out) writeFileAtomic(flags.out, csv);
      else process.stdout.write(csv);
    });
}
