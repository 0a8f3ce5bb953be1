/** Which progress display a search gets: bars on a terminal, lines in a pipe, JSON, or nothing. */
import type { Reporter } from '../../search/types';
import { barReporter } from './bars';
import { jsonReporter } from './json';
import { lineReporter } from './lines';
import { INTERRUPT_NOTICE } from './state';

export type ProgressMode = 'auto' | 'quiet' | 'json';

/** Human progress goes to `stream` (stderr); --json events to `out` (stdout), one a line. */
export function makeReporter(mode: ProgressMode, stream: NodeJS.WriteStream, out: NodeJS.WritableStream = process.stdout): Reporter {
  // Quiet still answers Ctrl-C: a stop with no word looks like a hang.
  if (mode === 'quiet') return { interrupted: () => stream.write(`${INTERRUPT_NOTICE}\n`) };
  if (mode === 'json') return jsonReporter((line) => out.write(line + '\n'));
  return stream.isTTY ? barReporter(stream) : lineReporter((line) => stream.write(line + '\n'));
}

export { barReporter, jsonReporter, lineReporter };
