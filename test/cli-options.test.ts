/** Options every command shares are checked alike, at parse time, before any file, engine or Redis is touched. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { automm, scratch } from './helpers';

test('every command that takes --backend checks it as search does: exit 2, the same message', () => {
  const commands = [
    ['search', 'none.yaml'],
    ['worker', '--queue', 'redis://127.0.0.1:1'],
    ['predict', '--model', 'none', '--data', 'random'],
    ['evaluate', '--model', 'none', '--data', 'none.csv'],
    ['serve', '--model', 'none'],
  ];
  const dir = scratch();
  for (const args of commands) {
    const r = automm([...args, '--backend', 'nope'], dir);
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.equal(r.stderr, 'automm: --backend expects one of auto, tensorflow, webgpu, wasm, cpu, got "nope"\n', args[0]);
  }
});
