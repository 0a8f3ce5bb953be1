/** One TensorBoard event file: a version record, then scalars, plugin summaries and graphs. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RecordWriter } from './records';
import { DATA_CLASS_SCALAR, DT_FLOAT, encode, Event, GraphDef, HParamsPluginData } from './protos';

let sequence = 0;

export class EventWriter {
  private readonly records: RecordWriter;

  /** A new events.out.tfevents.* file in `dir` (made if missing); TensorBoard reads every such file. */
  constructor(readonly dir: string, private readonly now: () => number = Date.now) {
    fs.mkdirSync(dir, { recursive: true });
    // The name TensorFlow's writers use, plus pid and a counter so two writers never share a file.
    const name = `events.out.tfevents.${Math.floor(now() / 1000)}.${os.hostname()}.${process.pid}.${sequence++}`;
    this.records = new RecordWriter(path.join(dir, name));
    this.event({ file_version: 'brain.Event:2' });
  }

  get file(): string {
    return this.records.file;
  }

  scalar(tag: string, value: number, step: number, wallTimeMs = this.now()): void {
    const metadata = { plugin_data: { plugin_name: 'scalars' }, data_class: DATA_CLASS_SCALAR };
    this.event({ step, summary: { value: [{ tag, simple_value: value, metadata }] } }, wallTimeMs);
  }

  /** An HParams plugin summary (experiment, session start or end) under its tag, as tensorboard.plugins.hparams writes it. */
  hparams(tag: string, data: Record<string, unknown>): void {
    const content = encode(HParamsPluginData, { version: 0, ...data });
    const metadata = { plugin_data: { plugin_name: 'hparams', content } };
    const nullTensor = { dtype: DT_FLOAT, tensor_shape: {}, float_val: [0] };
    this.event({ step: 0, summary: { value: [{ tag, metadata, tensor: nullTensor }] } });
  }

  graph(graphDef: Record<string, unknown>): void {
    this.event({ step: 0, graph_def: encode(GraphDef, graphDef) });
  }

  /** Flushes the file to disk and releases it; the writer takes no more events. */
  close(): void {
    this.records.close();
  }

  private event(fields: Record<string, unknown>, wallTimeMs = this.now()): void {
    this.records.write(encode(Event, { wall_time: wallTimeMs / 1000, ...fields }));
  }
}
