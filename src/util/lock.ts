/**
 * One writer per project: an exclusive lock file (created with O_EXCL) that names its holder, so a
 * second search, resume, overwrite or export fails at once instead of mixing its files with the
 * first one's. A lock whose process is gone (killed, crashed) is stale: it is detected and replaced.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { processAlive } from './atomic';

export interface LockOwner {
  pid: number;
  host: string;
  /** When the lock was taken (ISO time), for people reading the message. */
  since: string;
  /** The kernel's start time of the process (Linux): tells a reused pid from the holder. */
  processStart?: string;
  command: string;
}

export class LockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockError';
  }
}

export interface Lock {
  readonly file: string;
  /** Set when a stale lock was found and replaced: says whose it was, for the user. */
  readonly staleNote?: string;
  release(): void;
}

export function acquireLock(file: string, command: string): Lock {
  let staleNote: string | undefined;
  // Two attempts: the second after removing a stale lock.
  for (let attempt = 0; ; attempt++) {
    const owner: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), processStart: processStart(process.pid), command };
    try {
      fs.writeFileSync(file, JSON.stringify(owner) + '\n', { flag: 'wx' });
      return held(file, staleNote);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const holder = readOwner(file);
    // A lock file with no owner yet is being written this instant, unless it is old.
    const why = holder ? staleReason(holder) : ageMs(file) > 5000 ? 'its owner record is unreadable' : undefined;
    if (!holder && !why) throw new LockError(`${file}: being taken by another automm process right now; try again when it finishes`);
    if (!why) throw new LockError(heldMessage(file, holder!));
    staleNote = `removed a stale lock ${file} (${holder ? describeOwner(holder) : 'no owner recorded'}: ${why})`;
    fs.rmSync(file, { force: true });
  }
}

/** Fails at once when a live process holds the lock: lets a command refuse before its expensive set-up. */
export function assertNotLocked(file: string): void {
  const holder = readOwner(file);
  if (holder && !staleReason(holder)) throw new LockError(heldMessage(file, holder));
}

const heldMessage = (file: string, holder: LockOwner) => `${file}: in use by ${describeOwner(holder)}; wait for it to finish, or, if that process is gone, delete ${file}`;

function held(file: string, staleNote: string | undefined): Lock {
  // A process.exit (second Ctrl-C, an error) still removes the lock; only SIGKILL leaves a stale one.
  const onExit = () => release();
  process.once('exit', onExit);
  let released = false;
  function release(): void {
    if (released) return;
    released = true;
    process.off('exit', onExit);
    if (readOwner(file)?.pid === process.pid) fs.rmSync(file, { force: true });
  }
  return { file, staleNote, release };
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Why the holder cannot still be running, or undefined when it may be (another host: unknowable). */
export function staleReason(owner: LockOwner): string | undefined {
  if (owner.host !== os.hostname()) return undefined;
  if (!processAlive(owner.pid)) return 'that process is no longer running';
  const start = processStart(owner.pid);
  if (owner.processStart && start && start !== owner.processStart) return `pid ${owner.pid} now belongs to another process`;
  return undefined;
}

export const describeOwner = (o: LockOwner) => `automm ${o.command} (pid ${o.pid} on ${o.host}, since ${o.since})`;

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); undefined off Linux. */
function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
