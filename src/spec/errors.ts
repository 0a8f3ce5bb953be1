/** Typed errors of the spec layer; only src/cli prints them. */

export interface Problem {
  file: string;
  line: number;
  col: number;
  /** Dotted key path, e.g. blocks.conv.filters. */
  path: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}  ${p.path ? p.path + ': ' : ''}${p.message}`;
}

export class SpecError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`${problems.map(formatProblem).join('\n')}\n${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was trained.`);
    this.name = 'SpecError';
  }
}
