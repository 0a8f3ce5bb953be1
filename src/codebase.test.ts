/**
 * The codebase's shape: no import cycles among src/ modules (type-only imports included, since a
 * cycle of types still ties two modules' designs together), and every input type in the table.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './data/testing';

const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]/g;

function sourceGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const file = path.join(d, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts')) {
        const deps = [...fs.readFileSync(file, 'utf8').matchAll(IMPORT)]
          .map((m) => path.resolve(path.dirname(file), m[1]))
          .flatMap((t) => [`${t}.ts`, path.join(t, 'index.ts')].filter((c) => fs.existsSync(c)).slice(0, 1));
        graph.set(file, deps);
      }
    }
  };
  visit(dir);
  return graph;
}

/** One import cycle, as the files on it, or undefined (depth-first search with colours). */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (v: string): string[] | undefined => {
    state.set(v, 'open');
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (state.get(w) === 'open') return [...stack.slice(stack.indexOf(w)), w];
      if (!state.has(w)) {
        const found = walk(w);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(v, 'done');
    return undefined;
  };
  for (const v of graph.keys()) {
    if (state.has(v)) continue;
    const found = walk(v);
    if (found) return found;
  }
  return undefined;
}

test('src/ has no import cycles (type-only imports included)', () => {
  const src = path.join(ROOT, 'src');
  const graph = sourceGraph(src);
  assert.ok(graph.size > 100, `read ${graph.size} modules`);
  const cycle = findCycle(graph);
  assert.equal(cycle, undefined, `import cycle: ${cycle?.map((f) => path.relative(src, f)).join(' -> ')}`);
});

test('the cycle finder finds a cycle', () => {
  assert.deepEqual(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', []]])), ['a', 'b', 'c', 'a']);
});
