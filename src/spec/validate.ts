/**
 * Spec validation: ajv against the generated schema, then the cross-field checks; every problem is
 * collected with its file:line:col before anything is reported.
 */
import type { ErrorObject } from 'ajv';
import type { RawSpec } from './schema';
import { specValidator } from './validator';
import { LoadedSpec, KeyPath, parseSpecText, readSpecFile } from './load';
import { Problem, SpecError } from './errors';
import { CHECKS } from './checks';
import { applyDefaults } from './defaults';
import { Spec } from './types';
import { suggestion } from '../util/suggest';
import { checkGraph } from '../graph/check';

export function loadSpec(file: string): Spec {
  return validateLoaded(readSpecFile(file));
}

export function loadSpecText(text: string, file = 'spec.yaml'): Spec {
  return validateLoaded(parseSpecText(text, file));
}

function validateLoaded(loaded: LoadedSpec): Spec {
  // 1e999 and .inf parse to Infinity, which JSON Schema's number accepts: refused here, once, at the value.
  const nonFinite = nonFiniteProblems(loaded);
  const flagged = new Set(nonFinite.map((p) => p.path));
  const problems = [...nonFinite, ...[...schemaProblems(loaded), ...crossFieldProblems(loaded)].filter((p) => !flagged.has(p.path))];
  if (problems.length > 0) throw new SpecError(dedupe(problems).sort((a, b) => a.line - b.line || a.col - b.col));
  const spec = applyDefaults(loaded.data as RawSpec, loaded.file);
  // Only a spec that is right in every other way is worth building.
  const graph = checkGraph(spec);
  if (graph.problem) throw new SpecError([at(loaded, graph.problem.path, graph.problem.message, 'key')]);
  return spec;
}

/**
 * Cross-field checks run even when the schema failed, so one pass reports everything; a check
 * that trips over a malformed part reports nothing, since the schema already described that part.
 */
function crossFieldProblems(loaded: LoadedSpec): Problem[] {
  const raw = loaded.data as RawSpec;
  if (!raw || typeof raw !== 'object' || !isMapping(raw.inputs) || !isMapping(raw.heads)) return [];
  return CHECKS.flatMap((check) => {
    try {
      return check(raw, loaded.file).map((p) => at(loaded, p.path, p.message, p.at));
    } catch {
      return [];
    }
  });
}

function nonFiniteProblems(loaded: LoadedSpec): Problem[] {
  const found: Problem[] = [];
  const walk = (value: unknown, path: KeyPath): void => {
    if (typeof value === 'number' && !Number.isFinite(value)) found.push(at(loaded, path, `expected a finite number, got ${value} (1e999, .inf and .nan are not numbers automm can use)`));
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
    else if (isMapping(value)) Object.entries(value as object).forEach(([k, v]) => walk(v, [...path, k]));
  };
  walk(loaded.data, []);
  return found;
}

const isMapping = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.path + '|' + p.message) && !!seen.add(p.path + '|' + p.message));
}

/** A located problem from a key path. */
export function at(loaded: LoadedSpec, path: KeyPath, message: string, where: 'key' | 'value' = 'value'): Problem {
  const { line, col } = loaded.locate(path, where);
  return { file: loaded.file, line, col, path: path.join('.'), message };
}

function schemaProblems(loaded: LoadedSpec): Problem[] {
  if (loaded.data === null || typeof loaded.data !== 'object' || Array.isArray(loaded.data)) {
    return [at(loaded, [], 'expected a mapping with name, data, inputs and heads, got ' + describe(loaded.data))];
  }
  const validate = specValidator();
  if (validate(loaded.data)) return [];
  return summarise(validate.errors ?? [], loaded);
}

/**
 * ajv reports every branch of every union; users want one line per key. Unions (anyOf) speak for
 * everything at or below their path, with the `expected` text of their schema.
 */
function summarise(errors: ErrorObject[], loaded: LoadedSpec): Problem[] {
  const relevant = errors.filter((e) => e.keyword !== 'if');
  const unionPaths = relevant.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath);
  const within = (p: string, u: string) => p === u || p.startsWith(u + '/');
  const keep = (e: ErrorObject) =>
    e.keyword === 'anyOf'
      ? !unionPaths.some((u) => u !== e.instancePath && within(e.instancePath, u))
      : !unionPaths.some((u) => within(e.instancePath, u));
  return relevant.filter(keep).map((e) => toProblem(e, loaded));
}

function toProblem(e: ErrorObject, loaded: LoadedSpec): Problem {
  const path = pointerToPath(e.instancePath);
  const value = e.data;
  const parent = e.parentSchema as { expected?: string; properties?: Record<string, unknown> } | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      if ((e.parentSchema as { patternProperties?: object }).patternProperties) {
        return at(loaded, [...path, extra], `"${extra}" is not a valid name: use letters, digits and _, not starting with a digit`, 'key');
      }
      return at(loaded, [...path, extra], `unknown key "${extra}"; ${suggestion(extra, Object.keys(parent?.properties ?? {}))}`, 'key');
    }
    case 'required':
      return at(loaded, path, `missing required key "${(e.params as { missingProperty: string }).missingProperty}"`);
    case 'enum':
    case 'const':
      return at(loaded, path, `expected ${parent?.expected ?? e.message}, got ${describe(value)}`);
    default: {
      const expected = (e.schema && typeof e.schema === 'object' && (e.schema as { expected?: string }).expected) || parent?.expected;
      const consts = e.keyword === 'anyOf' ? (e.schema as Array<{ const?: string }>).map((s) => s.const) : [];
      if (typeof value === 'string' && consts.length > 0 && consts.every((c) => typeof c === 'string')) {
        const what = /\/type$/.test(e.instancePath) ? 'type' : 'value';
        return at(loaded, path, `unknown ${what} ${describe(value)}; ${suggestion(value, consts as string[])}`);
      }
      return at(loaded, path, expected ? `expected ${expected}, got ${describe(value)}` : `${e.message}, got ${describe(value)}`);
    }
  }
}

const pointerToPath = (pointer: string): KeyPath =>
  pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list ${truncate(JSON.stringify(value))}`;
  if (typeof value === 'object') return `a mapping ${truncate(JSON.stringify(value))}`;
  return truncate(JSON.stringify(value));
}
const truncate = (s: string) => (s.length > 60 ? s.slice(0, 57) + '...' : s);
