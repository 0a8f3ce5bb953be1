import * as fs from 'node:fs';
import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import { BackendChoice, initEngine } from '../../engine/backend';
import { BACKEND_CHOICES } from '../../engine/choices';
import { loadModelWithPreprocessing, predictTable, randomInputs, toCsv } from '../../export/predict';
import { loadPredictor } from '../../export/predictor';
import { writeFileAtomic } from '../../util/atomic';
import { oneOf, positiveInt, UsageError } from '../errors';

export function predictCommand(program: Command): void {
  program
    .command('predict')
    .description('predict with an exported model: one column per regression output, class and probabilities per classification head')
    .requiredOption('--model <dir>', 'an exported model directory (automm export) or runs/<name>/best')
    .requiredOption('--data <source>', '"random" (made-up rows of the right shapes) or a table file')
    .option('--rows <n>', 'rows of random data', positiveInt('--rows'), 8)
    .option('--out <file>', 'write CSV here instead of standard output')
    .option('--keep <columns>', 'columns of --data to copy to the output first, comma-separated (an id, say)', (v) => v.split(',').map((c) => c.trim()).filter(Boolean))
    .option('--backend <name>', `engine: ${BACKEND_CHOICES.join('|')} (default auto)`, oneOf('--backend', BACKEND_CHOICES), 'auto')
    .action(async (flags: { model: string; data: string; rows: number; out?: string; backend: BackendChoice; keep?: string[] }) => {
      if (flags.keep && flags.data === 'random') throw new UsageError('--keep copies columns of a table file; random data has none');
      await initEngine(flags.backend);
      const csv = flags.data === 'random' ? await predictRandom(flags.model, flags.rows) : await predictFile(flags.model, flags.data, flags.keep);
      if (flags.out) writeFileAtomic(flags.out, csv);
      else process.stdout.write(csv);
    });
}

async function predictRandom(dir: string, rows: number): Promise<string> {
  const { model, preprocessing } = await loadModelWithPreprocessing(dir);
  const inputs = randomInputs(preprocessing.inputs, rows);
  const csv = toCsv(predictTable(model, preprocessing, inputs));
  tf.dispose(Object.values(inputs));
  return csv;
}

/** Rows of a table file, preprocessed as the training rows were; image paths are relative to the file. */
async function predictFile(dir: string, file: string, keep?: string[]): Promise<string> {
  if (!fs.existsSync(file)) throw new UsageError(`--data ${file}: file not found; give a .csv, .tsv, .jsonl or .json table, or "random"`);
  const predictor = await loadPredictor(dir);
  try {
    return toCsv(await predictor.predictFile(file, { keep }));
  } finally {
    predictor.dispose();
  }
}
