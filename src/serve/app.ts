/**
 * The HTTP routes (fastify): TensorFlow Serving's REST shape, Ludwig's form shape, metadata and
 * health. Everything a request can name is a value or an uploaded file; nothing in a request
 * becomes a path the server reads.
 */
import Fastify, { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import { DataError } from '../data/errors';
import { tokenChecker } from './access';
import type { ServedModel } from './model';
import { formDataset, FormError, formRow, readForm } from './multipart';
import { formatSchemaErrors, predictBodySchema } from './schema';

export interface AppOptions {
  model: ServedModel;
  /** Requests need `Authorization: Bearer <token>` (all routes but /healthz). */
  token?: string;
  /** Origins allowed to call from a browser; none: no CORS headers, so browsers refuse other origins. */
  corsOrigins?: string[];
  /** Request body bytes at most (JSON and forms). */
  bodyLimit: number;
  /** Bytes per uploaded file at most. */
  uploadLimit: number;
  /** Rows per request at most. */
  maxRows: number;
  /** One line per request: method, path, status, rows, latency. */
  log?: (line: string) => void;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { model } = options;
  const app = Fastify({
    bodyLimit: options.bodyLimit,
    // Strict types and no silent stripping: a misspelt column is a 400, not a missing value.
    ajv: { customOptions: { allowUnionTypes: true, allErrors: true, verbose: true, coerceTypes: false, removeAdditional: false } },
    schemaErrorFormatter: (errors) => new Error(formatSchemaErrors(errors as never)),
  });
  const rows = new WeakMap<FastifyRequest, number>();
  if (options.log) logRequests(app, rows, options.log);
  if (options.corsOrigins?.length) await app.register(cors, { origin: options.corsOrigins, methods: ['GET', 'POST'] });
  if (options.token) requireToken(app, options.token);
  await app.register(multipart, { throwFileSizeLimit: true, limits: { fileSize: options.uploadLimit, files: options.maxRows, fieldSize: options.bodyLimit, parts: 2 * options.maxRows + 100 } });
  app.setErrorHandler(errorReply);
  app.setNotFoundHandler((req, reply) => void reply.code(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}; this server has ${routeList(model.name)}` }));

  const base = `/v1/models/${model.name.replace(/:/g, '::')}`;
  const status = { model_version_status: [{ version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }] };
  // Model calls and rows so far: rows per call says how much micro-batching is happening.
  app.get('/healthz', async () => ({ status: 'ok', model: model.name, batches: model.batcher.calls, rows: model.batcher.rows }));
  app.get(base, async () => ({ ...status, model_spec: { name: model.name, version: '1' }, metadata: model.metadata() }));
  app.get(`${base}/metadata`, async () => ({ model_spec: { name: model.name, version: '1' }, metadata: model.metadata() }));
  app.post(`${base}::predict`, { schema: { body: predictBodySchema(model.metadata(), options.maxRows) } }, async (req) => {
    const instances = (req.body as { instances: Array<Record<string, unknown>> }).instances;
    rows.set(req, instances.length);
    return { predictions: await model.predict(instances, (i) => `instances[${i}]`) };
  });
  app.post('/predict', async (req) => {
    const row = formRow(await readForm(req), model.encoder.columns, model.encoder.imageColumns);
    rows.set(req, 1);
    const [prediction] = await model.predict([row], () => 'form');
    return prediction;
  });
  app.post('/batch_predict', async (req) => {
    const dataset = formDataset(await readForm(req), model.encoder.columns, model.encoder.imageColumns);
    if (dataset.length === 0 || dataset.length > options.maxRows) throw new FormError(`field "dataset": expected 1 to ${options.maxRows} rows, got ${dataset.length}`);
    rows.set(req, dataset.length);
    return { predictions: await model.predict(dataset, (i) => `dataset row ${i + 1}`) };
  });
  return app;
}

const routeList = (name: string) =>
  `GET /healthz, GET /v1/models/${name}, GET /v1/models/${name}/metadata, POST /v1/models/${name}:predict, POST /predict, POST /batch_predict`;

function requireToken(app: FastifyInstance, token: string): void {
  const check = tokenChecker(token);
  app.addHook('onRequest', async (req, reply) => {
    if (req.url === '/healthz' || req.method === 'OPTIONS' || check(req.headers.authorization)) return;
    await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'missing or wrong bearer token (Authorization: Bearer <token>)' });
  });
}

function logRequests(app: FastifyInstance, rows: WeakMap<FastifyRequest, number>, log: (line: string) => void): void {
  app.addHook('onResponse', async (req, reply) => {
    const n = rows.get(req);
    log(`${new Date().toISOString()} ${req.method} ${req.url.split('?')[0]} ${reply.statusCode}${n === undefined ? '' : ` rows=${n}`} ${reply.elapsedTime.toFixed(1)}ms`);
  });
}

/** Bad requests say what was wrong with them (400/413/415); anything else is the server's fault (500). */
function errorReply(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof DataError || err instanceof FormError) return void reply.code(400).send({ error: err.message });
  const code = err.statusCode ?? 500;
  if (code >= 400 && code < 500) return void reply.code(code).send({ error: err.message });
  void reply.code(500).send({ error: `internal error: ${err.message}` });
}
