/**
 * Reads a spec file as YAML while keeping where every key and value stands, so each problem can be
 * reported as file:line:col.
 */
import * as fs from 'node:fs';
import { Document, LineCounter, isMap, isSeq, isPair, isScalar, parseDocument, Node as YamlNode } from 'yaml';
import { Problem, SpecError } from './errors';

export type KeyPath = Array<string | number>;

export interface LoadedSpec {
  file: string;
  data: unknown;
  /** Line and column (1-based) of the value at path, or of its key when `at` is 'key'. */
  locate(path: KeyPath, at?: 'key' | 'value'): { line: number; col: number };
}

export class SpecReadError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'SpecReadError';
  }
}

export function readSpecFile(file: string): LoadedSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new SpecReadError(file, `cannot read the spec: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseSpecText(text, file);
}

export function parseSpecText(text: string, file: string): LoadedSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems: Problem[] = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return { file, line: pos.line, col: pos.col, path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` };
    });
    throw new SpecError(problems);
  }
  return {
    file,
    data: doc.toJS({ maxAliasCount: 100 }),
    locate: (path, at = 'value') => {
      const offset = findOffset(doc, path, at);
      const pos = lineCounter.linePos(offset);
      return { line: pos.line, col: pos.col };
    },
  };
}

/** The source offset of the deepest node along path that exists (a missing key points at its parent). */
function findOffset(doc: Document, path: KeyPath, at: 'key' | 'value'): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as YamlNode | null)?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(path[i]));
      if (!pair) return offset;
      const key = pair.key as YamlNode;
      if (last && at === 'key') return key.range?.[0] ?? offset;
      node = pair.value;
      offset = (pair.value as YamlNode | null)?.range?.[0] ?? key.range?.[0] ?? offset;
    } else if (isSeq(node)) {
      const item = node.items[Number(path[i])] as YamlNode | undefined;
      if (!item) return offset;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}
