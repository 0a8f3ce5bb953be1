/**
 * Data problems, collected rather than thrown one by one: a table with a hundred bad rows should be
 * fixed in one go, so every check adds to a log and the log is reported once, before training.
 */

/** Problems shown in an error message; the rest are counted. */
export const PROBLEM_LIMIT = 20;
/** What an error says did not happen, by default. */
const TRAINING = 'nothing was trained';
/** What a predict error says did not happen. */
export const PREDICTING = 'nothing was predicted';
/** Problems kept in memory (for DataError.problems); a million bad rows need not be a million objects. */
const PROBLEMS_KEPT = 1000;

export interface DataProblem {
  /** `train.csv:17` for a row, `train.csv` for the whole file or a column. */
  where: string;
  column?: string;
  message: string;
  /** The problem concerns a row (on_bad_row: skip leaves it out) rather than the file or the spec. */
  row: boolean;
}

/** `train.csv:17: column "photo": file x.jpg not found`; `column "price" as numerical: ...` reads as Ludwig's. */
export const formatProblem = (p: DataProblem): string => {
  const column = p.column === undefined ? '' : `column ${JSON.stringify(p.column)}${p.message.startsWith('as ') ? ' ' : ': '}`;
  return `${p.where}: ${column}${p.message}`;
};

export class DataError extends Error {
  readonly problems: DataProblem[];
  /** All problems found, including those not kept in `problems`. */
  readonly total: number;

  /** `outcome` ends the message: what did not happen because of the problems. */
  constructor(problems: string | DataProblem[], total?: number, outcome = TRAINING) {
    const list = typeof problems === 'string' ? [{ where: '', message: problems, row: false }] : problems;
    super(typeof problems === 'string' ? problems : describe(list, total ?? list.length, outcome));
    this.name = 'DataError';
    this.problems = list;
    this.total = total ?? list.length;
  }
}

function describe(problems: DataProblem[], total: number, outcome: string): string {
  const shown = problems.slice(0, PROBLEM_LIMIT).map(formatProblem);
  if (total > shown.length) shown.push(`... and ${total - shown.length} more`);
  const skippable = outcome === TRAINING && problems.some((p) => p.row);
  const hint = skippable ? ' Fix the data, or set data.on_bad_row: skip to leave bad rows out.' : '';
  return `${shown.join('\n')}\n${total} data problem${total === 1 ? '' : 's'}; ${outcome}.${hint}`;
}

export class ProblemLog {
  private readonly kept: DataProblem[] = [];
  private count = 0;
  private fatalCount = 0;

  /** `outcome`: what the error says did not happen ("nothing was predicted"). */
  constructor(private readonly outcome = TRAINING) {}

  add(problem: DataProblem): void {
    this.count++;
    if (!problem.row) this.fatalCount++;
    if (this.kept.length < PROBLEMS_KEPT) this.kept.push(problem);
  }

  /** A problem with the file, the spec or a whole column: on_bad_row: skip cannot help. */
  fatal(where: string, message: string, column?: string): void {
    this.add({ where, column, message, row: false });
  }

  row(where: string, message: string, column?: string): void {
    this.add({ where, column, message, row: true });
  }

  get problems(): readonly DataProblem[] {
    return this.kept;
  }

  /**
   * Stops where going on makes no sense (a fatal problem): with everything collected (`rowsToo`),
   * or with the fatal problems only when bad rows are being skipped.
   */
  throwIfFatal(rowsToo: boolean): void {
    if (this.fatalCount > 0) this.throwIfAny(rowsToo);
  }

  /** Throws everything collected so far, if anything. `rowsToo: false` lets row problems through (skip mode). */
  throwIfAny(rowsToo = true): void {
    if (this.count > 0 && (rowsToo || this.fatalCount > 0)) {
      const shown = rowsToo ? this.kept : this.kept.filter((p) => !p.row);
      throw new DataError(shown, rowsToo ? this.count : this.fatalCount, this.outcome);
    }
  }
}
