import * as fs from 'node:fs';
import { Command } from 'commander';
import { BackendChoice, initEngine } from '../../engine/backend';
import { BACKEND_CHOICES } from '../../engine/choices';
import { isLoopback, TOKEN_ENV } from '../../serve/access';
import { intAtLeast, oneOf, positiveInt, UsageError } from '../errors';

interface ServeFlags {
  model: string;
  host: string;
  port: number;
  name?: string;
  tokenFile?: string;
  insecure?: boolean;
  corsOrigin?: string;
  bodyLimitMb: number;
  uploadLimitMb: number;
  maxPixels: number;
  maxRows: number;
  maxBatch: number;
  batchDelayMs: number;
  backend: BackendChoice;
}

const MB = 1024 * 1024;

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('serve an exported model over HTTP: TensorFlow Serving REST (/v1/models/<name>:predict), forms (/predict, /batch_predict)')
    .requiredOption('--model <dir>', 'an exported model directory (automm export) or runs/<name>/best')
    .option('--host <address>', 'address to listen on (anything but loopback needs a token)', '127.0.0.1')
    .option('--port <n>', 'port (0: any free one)', intAtLeast('--port', 0), 8080)
    .option('--name <name>', 'the model name in /v1/models/<name> (default: the model folder\'s)')
    .option('--token-file <file>', `require "Authorization: Bearer <token>" with the token in this file (default: $${TOKEN_ENV} when set)`)
    .option('--insecure', 'allow a non-loopback address without a token')
    .option('--cors-origin <origins>', 'comma-separated origins allowed to call from a browser (default: none)')
    .option('--body-limit-mb <n>', 'request body size limit', positiveInt('--body-limit-mb'), 16)
    .option('--upload-limit-mb <n>', 'size limit per uploaded file', positiveInt('--upload-limit-mb'), 8)
    .option('--max-pixels <n>', 'images with more pixels are refused before decoding', positiveInt('--max-pixels'), 4096 * 4096)
    .option('--max-rows <n>', 'rows per request', positiveInt('--max-rows'), 1024)
    .option('--max-batch <n>', 'rows per model call when requests are batched together', positiveInt('--max-batch'), 64)
    .option('--batch-delay-ms <n>', 'how long a request waits for others to share its model call', intAtLeast('--batch-delay-ms', 0), 1)
    .option('--backend <name>', `engine: ${BACKEND_CHOICES.join('|')} (default auto)`, oneOf('--backend', BACKEND_CHOICES), 'auto')
    .action(async (flags: ServeFlags) => {
      const token = readToken(flags);
      if (!isLoopback(flags.host) && !token && !flags.insecure) {
        throw new UsageError(`--host ${flags.host} is reachable from other machines; give --token-file (or set ${TOKEN_ENV}), or say --insecure to serve without a token`);
      }
      // The server (fastify) and its model loader are loaded by this command only: other commands start faster.
      const [{ buildApp }, { loadServedModel }] = await Promise.all([import('../../serve/app'), import('../../serve/model')]);
      const engine = await initEngine(flags.backend);
      const model = await loadServedModel(flags.model, { name: flags.name, maxPixels: flags.maxPixels, batch: { maxRows: flags.maxBatch, maxDelayMs: flags.batchDelayMs } });
      const app = await buildApp({
        model,
        token,
        corsOrigins: flags.corsOrigin?.split(',').map((o) => o.trim()).filter(Boolean),
        bodyLimit: flags.bodyLimitMb * MB,
        uploadLimit: flags.uploadLimitMb * MB,
        maxRows: flags.maxRows,
        log: (line) => process.stdout.write(line + '\n'),
      });
      const address = await app.listen({ host: flags.host, port: flags.port });
      process.stderr.write(`engine: ${engine.backend} (${engine.reason})\nserving "${model.name}" on ${address} (POST ${address}/v1/models/${model.name}:predict)${token ? ' with a bearer token' : ''}\n`);
      await stopped();
      process.stderr.write('stopping: finishing requests in flight\n');
      await app.close();
      model.dispose();
      process.stderr.write('stopped\n');
    });
}

function readToken(flags: ServeFlags): string | undefined {
  if (!flags.tokenFile) return process.env[TOKEN_ENV] || undefined;
  let token: string;
  try {
    token = fs.readFileSync(flags.tokenFile, 'utf8').trim();
  } catch (err) {
    throw new UsageError(`--token-file ${flags.tokenFile}: cannot be read (${(err as NodeJS.ErrnoException).code})`);
  }
  if (!token) throw new UsageError(`--token-file ${flags.tokenFile}: the file is empty`);
  return token;
}

/** SIGTERM (a service manager) or SIGINT (Ctrl-C): stop accepting, let requests in flight finish. */
function stopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
}
