/** The one place that turns failures into messages and exit codes. */
import { SpecError } from '../spec/errors';

/** Errors about what the user gave (spec, data, options, files, a project in use): exit code 2. */
const USAGE_ERRORS = ['SpecReadError', 'ProjectError', 'DataError', 'EngineError', 'UsageError', 'FileError', 'ArtifactError', 'LockError', 'QueueError'];

/** 2: the input (spec, data, options) is wrong; 1: anything else went wrong (a full disk, a crash). */
export function handleError(err: unknown): never {
  if (err instanceof SpecError) {
    process.stderr.write(err.message + '\n');
    process.exit(2);
  }
  const usage = err instanceof Error && USAGE_ERRORS.includes(err.name);
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`automm: ${message}\n`);
  if (!usage && err instanceof Error && process.env.AUTOMM_DEBUG) process.stderr.write(`${err.stack}\n`);
  process.exit(usage ? 2 : 1);
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses an integer option of at least `min`, naming the option when it is not one. */
export function intAtLeast(option: string, min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${option} expects an integer >= ${min}, got "${value}"`);
    return n;
  };
}

export const positiveInt = (option: string) => intAtLeast(option, 1);

/** Parses an option that takes one of a fixed list of names (--backend), naming the option and the list. */
export function oneOf<T extends string>(option: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new UsageError(`${option} expects one of ${choices.join(', ')}, got "${value}"`);
    return value as T;
  };
}

/** commander's own errors (unknown option, missing argument) are usage errors too: exit 2; help and --version exit 0. */
export function commanderExit(err: { exitCode: number }): never {
  process.exit(err.exitCode === 0 ? 0 : 2);
}

/** `automm schema | head`: the reader left; stop quietly instead of printing an EPIPE stack. */
export function quietOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
  }
}
