import type { KeyPath } from './load';

/** A cross-field check's finding, located by key path (validate.ts adds file:line:col). */
export interface CheckProblem {
  path: KeyPath;
  message: string;
  at?: 'key' | 'value';
}
