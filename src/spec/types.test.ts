/**
 * The spec's types are the schema's: inputs and heads are unions of their modules' own types, told
 * apart by `type`. The @ts-expect-error lines fail the build if the types loosen (a bare TSchema or
 * a record of unknowns would accept them).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { TEXT_DEFAULTS } from '../inputs/text';
import type { RawSpec } from './schema';
import type { HeadSpec, InputSpec } from './types';
import { loadSpecText } from './validate';

test('an input narrows on its type, with its defaults filled in', () => {
  const spec = loadSpecText(stringify({ name: 't', data: { source: 'random' }, inputs: { words: { type: 'text' }, series: { type: 'timeseries', length: 5 } }, heads: { y: { type: 'regression' } } }));
  const words = spec.inputs.words;
  assert.equal(words.type, 'text');
  if (words.type !== 'text') return;
  // A text input after defaults always has its vocabulary and length.
  const lengths: number[] = [words.max_tokens, words.sequence_length];
  assert.deepEqual(lengths, [TEXT_DEFAULTS.max_tokens, TEXT_DEFAULTS.sequence_length]);
  // @ts-expect-error a text input has no shape
  assert.equal(words.shape, undefined);
  const series = spec.inputs.series;
  assert.equal(series.type === 'timeseries' && series.length, 5);
});

test('written inputs and heads are checked against their own schema types', () => {
  const inputs: RawSpec['inputs'] = {
    image: { type: 'image', shape: [8, 8, 3] },
    // @ts-expect-error a time series needs its length
    series: { type: 'timeseries', columns: ['a'] },
    // @ts-expect-error an image has 1 or 3 channels
    grey: { type: 'image', shape: [8, 8, 2] },
  };
  const heads: Record<string, HeadSpec> = {
    y: { type: 'regression', units: 1, target_scaling: 'log' },
    // @ts-expect-error classes is a number
    c: { type: 'classification', classes: 'three' },
  };
  const defaulted: InputSpec = { type: 'text', max_tokens: 10, sequence_length: 4 };
  assert.equal(Object.keys({ ...inputs, ...heads, defaulted }).length, 6);
});
