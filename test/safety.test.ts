/**
 * The safety catalog: hostile inputs and faults, each run through the real CLI, with its expected
 * message and exit code in test/golden/safety.txt (refresh with UPDATE_GOLDEN=1). Every case also
 * checks that no file outside its project changed: automm deletes and replaces only what it made.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { automm, scratch, CLI, ROOT } from './helpers';

const GOLDEN = path.join(ROOT, 'test', 'golden', 'safety.txt');
const R = fs.realpathSync(scratch('automm-safety-'));
const PNG = path.join(ROOT, 'fixtures', 'pets', 'images', fs.readdirSync(path.join(ROOT, 'fixtures', 'pets', 'images')).find((f) => f.endsWith('.png'))!);

const TINY = `name: tiny
data: {source: random, rows: 24}
inputs: {n: {type: structured, columns: 3}}
blocks: {d: {type: dense, input: n, num_layers: 1, num_units: 256, use_batchnorm: false, dropout: 0}}
heads: {y: {type: regression, input: d, dropout: 0}}
search: {max_trials: 1, epochs: 1, refit: false, workers: 1}
`;
const TABLE = `name: table
data: {source: rows.csv, validation_split: 0.25}
inputs: {x: {type: structured, columns: [a, b]}}
heads: {label: {type: classification, column: label}}
search: {max_trials: 1, epochs: 1, refit: false, workers: 1}
`;
const csv = (rows: number, shift = 0) => ['id,a,b,label', ...Array.from({ length: rows }, (_, i) => `id${i},${i + shift},${(i * 7) % 5},${i % 2 ? 'cat' : 'dog'}`)].join('\n') + '\n';

const write = (rel: string, text: string | Buffer) => {
  fs.mkdirSync(path.dirname(path.join(R, rel)), { recursive: true });
  fs.writeFileSync(path.join(R, rel), text);
};

/** Every file under R except those under `skip`, by content: what "unchanged" means. */
function snapshot(skip: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (skip.some((s) => full === s || full.startsWith(s + path.sep))) continue;
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(R, full), crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
    }
  };
  walk(R);
  return out;
}

/** What of a run's output the golden file keeps: automm's messages, spec problems, commander's errors; places made stable. */
function messages(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => /^automm: |^\S+:\d+:\d+ {2}|problems?; nothing was trained|^error: |^workers: |^data: |^\S+:\d+: /.test(l))
    .join('\n')
    .split(R).join('<tmp>')
    .replace(/pid \d+/g, 'pid <pid>')
    .replace(/on [^,()\s]+, since \S+\)/g, 'on <host>, since <time>)')
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
    .replace(/\.tmp-\d+-\d+-\d+/g, '.tmp-<id>')
    .replace(/(\d+) workers asked, \d+ used \([^)]*\)/, '$1 workers asked, <n> used (<why>)');
}

const golden: string[] = [];

/** Runs one case: `args` from R, its exit code, and no change outside `project` (relative to R). */
function run(name: string, args: string[], expectCode: number, project?: string, extra: { env?: NodeJS.ProcessEnv } = {}): ReturnType<typeof automm> {
  const skip = project ? [path.join(R, project)] : [];
  const before = snapshot(skip);
  const r = extra.env
    ? (({ status, stdout, stderr }) => ({ code: status ?? -1, stdout, stderr }))(spawnSync(process.execPath, [CLI, ...args], { cwd: R, encoding: 'utf8', env: { ...process.env, ...extra.env } }))
    : automm(args, R);
  golden.push(`== ${name}: automm ${args.join(' ')}\nexit ${r.code}\n${messages(r.stderr)}\n`);
  assert.equal(r.code, expectCode, `${name}: exit ${r.code}\n${r.stderr}`);
  assert.deepEqual(snapshot(skip), before, `${name}: a file outside ${project ?? 'any project'} changed`);
  return r;
}

test('safety catalog', async (t) => {
  write('home/notes.txt', 'my notes\n');
  write('home/data.csv', 'keep me\n');
  write('tiny.yaml', TINY);
  const tiny = run('a tiny search', ['search', 'tiny.yaml', '--out', 'runs'], 0, 'runs/tiny');
  assert.ok(fs.existsSync(path.join(R, 'runs/tiny/.automm-project')), 'the project carries the marker');
  assert.ok(!fs.existsSync(path.join(R, 'runs/tiny/.automm-lock')), 'the lock is released');
  assert.match(tiny.stdout, /best: trial_000/);
  run('export', ['export', '--best', '--project', 'runs/tiny'], 0, 'runs/tiny');

  await t.test('1. deletes stay inside what automm made', () => {
    for (const [label, name] of [['name ..', '".."'], ['name .', '"."'], ['name too long', 'x'.repeat(65)]]) {
      write('bad-name.yaml', TINY.replace('name: tiny', `name: ${name}`));
      run(label, ['search', 'bad-name.yaml', '--out', 'home', '--overwrite'], 2);
    }
    write('home.yaml', TINY.replace('name: tiny', 'name: home'));
    run('a project name that is a folder of user files', ['search', 'home.yaml', '--out', '.', '--overwrite'], 2);
    write('legacy/old/spec.json', '{}\n');
    write('legacy/old/mine.txt', 'still mine\n');
    write('old.yaml', TINY.replace('name: tiny', 'name: old'));
    run('--overwrite of a folder without the marker', ['search', 'old.yaml', '--out', 'legacy', '--overwrite'], 2);
    assert.ok(fs.existsSync(path.join(R, 'legacy/old/mine.txt')));
    run('export onto a file', ['export', '--best', '--project', 'runs/tiny', '--out', 'home/notes.txt'], 2);
    run('export into a folder of user files', ['export', '--best', '--project', 'runs/tiny', '--out', 'home'], 2);
    // A kill between replaceDirAtomic's renames: the old export moved aside, a half-filled new one beside it.
    const exp = path.join(R, 'runs/tiny/export');
    fs.renameSync(exp, `${exp}.tmp-999999999-1-0.old`);
    fs.mkdirSync(`${exp}.tmp-999999999-2-0`);
    run('an export after an interrupted one', ['export', '--best', '--project', 'runs/tiny'], 0, 'runs/tiny');
    assert.deepEqual(fs.readdirSync(path.join(R, 'runs/tiny')).filter((n) => n.startsWith('export')), ['export']);
    run('--overwrite of a marked project', ['search', 'tiny.yaml', '--out', 'runs', '--overwrite'], 0, 'runs/tiny');
  });

  await t.test('2. one writer per project: locks held elsewhere and stale locks', () => {
    const lock = path.join(R, 'runs/tiny/.automm-lock');
    fs.writeFileSync(lock, JSON.stringify({ pid: 1, host: 'another-host', since: '2026-01-01T00:00:00.000Z', command: 'search' }));
    run('a project locked from another host', ['search', 'tiny.yaml', '--out', 'runs', '--resume'], 2, 'runs/tiny');
    fs.writeFileSync(lock, JSON.stringify({ pid: 999999999, host: os.hostname(), since: '2026-01-01T00:00:00.000Z', command: 'search' }));
    const r = run('a stale lock (its process is gone)', ['export', '--best', '--project', 'runs/tiny'], 0, 'runs/tiny');
    assert.match(r.stderr, /removed a stale lock/);
    assert.ok(!fs.existsSync(lock));
  });

  await t.test('5. every failure names its file', () => {
    run('unknown option', ['search', '--bogus'], 2);
    run('missing argument', ['search'], 2);
    const board = path.join(R, 'runs/tiny/leaderboard.json');
    const text = fs.readFileSync(board, 'utf8');
    fs.writeFileSync(board, text.slice(0, 40));
    run('a truncated leaderboard.json', ['summary', '--project', 'runs/tiny'], 2, 'runs/tiny');
    fs.writeFileSync(board, text);
    const trial = path.join(R, 'runs/tiny/trials/trial_000/trial.json');
    const trialText = fs.readFileSync(trial, 'utf8');
    fs.writeFileSync(trial, '');
    run('an empty trial.json on resume', ['search', 'tiny.yaml', '--out', 'runs', '--resume'], 2, 'runs/tiny');
    fs.writeFileSync(trial, trialText);
    // A directory as an image path: a located bad row, and skipped with on_bad_row: skip.
    fs.copyFileSync(PNG, path.join(R, 'a.png'));
    fs.mkdirSync(path.join(R, 'folder.png'));
    write('images.csv', ['photo,y', ...Array.from({ length: 12 }, (_, i) => `${i === 3 ? 'folder.png' : 'a.png'},${i}`)].join('\n') + '\n');
    const images = `name: images
data: {source: images.csv}
inputs: {photo: {type: image, column: photo, shape: [8, 8, 3]}}
heads: {y: {type: regression, column: y}}
search: {max_trials: 1, epochs: 1, refit: false}
`;
    write('images.yaml', images);
    run('an image path that is a folder', ['search', 'images.yaml', '--out', 'runs'], 2, 'runs/images');
    write('images-skip.yaml', images.replace('source: images.csv}', 'source: images.csv, on_bad_row: skip}').replace('name: images', 'name: images_skip'));
    const skip = run('the same row skipped, and --workers past the machine', ['search', 'images-skip.yaml', '--out', 'runs', '--workers', '200'], 0, 'runs/images_skip');
    assert.match(skip.stderr, /1 bad row/);
    // The disk refuses a write (a file size limit stands in for a full disk): the search stops,
    // the trial is not marked failed, nothing half-written stays, and --resume retrains it.
    write('big.yaml', TINY.replace('name: tiny', 'name: big'));
    const limited = spawnSync('bash', ['-c', `trap "" XFSZ; ulimit -f 3; exec "${process.execPath}" "${CLI}" search big.yaml --out runs`], { cwd: R, encoding: 'utf8' });
    golden.push(`== a disk that refuses a write: automm search big.yaml --out runs (ulimit -f 3)\nexit ${limited.status}\n${messages(limited.stderr)}\n`);
    assert.equal(limited.status, 1, limited.stderr);
    const files = snapshot([]);
    assert.deepEqual([...files.keys()].filter((f) => f.startsWith('runs/big') && /\.tmp-/.test(f)), [], 'no temporary files left');
    const record = JSON.parse(fs.readFileSync(path.join(R, 'runs/big/trials/trial_000/trial.json'), 'utf8'));
    assert.equal(record.status, 'running', 'not marked failed');
    run('--resume after the disk has room', ['search', 'big.yaml', '--out', 'runs', '--resume'], 0, 'runs/big');
  });

  await t.test('6. artifacts are verified on load', () => {
    const exp = path.join(R, 'runs/tiny/export');
    const weights = path.join(exp, 'weights.bin');
    const good = fs.readFileSync(weights);
    fs.writeFileSync(weights, good.subarray(0, good.length - 4));
    run('a truncated weights.bin', ['predict', '--model', 'runs/tiny/export', '--data', 'random'], 2);
    fs.rmSync(weights);
    run('a missing weights.bin', ['predict', '--model', 'runs/tiny/export', '--data', 'random'], 2);
    fs.writeFileSync(weights, crypto.randomBytes(good.length));
    run('weights.bin replaced by random bytes of the same size', ['predict', '--model', 'runs/tiny/export', '--data', 'random'], 2);
    // A model with no checksum (plain tfjs wrote it) whose weights are NaN: the output is refused.
    const modelJson = path.join(exp, 'model.json');
    const model = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
    delete model.userDefinedMetadata;
    fs.writeFileSync(modelJson, JSON.stringify(model));
    fs.writeFileSync(weights, Buffer.alloc(good.length, 0xff));
    run('a model that outputs NaN', ['predict', '--model', 'runs/tiny/export', '--data', 'random'], 2);
    run('export again', ['export', '--best', '--project', 'runs/tiny'], 0, 'runs/tiny');
    run('predict from the new export', ['predict', '--model', 'runs/tiny/export', '--data', 'random', '--rows', '2'], 0);
  });

  await t.test('3 and 7. resume checks the data; predict --keep', () => {
    write('rows.csv', csv(24));
    write('table.yaml', TABLE);
    run('a search on a table', ['search', 'table.yaml', '--out', 'runs'], 0, 'runs/table');
    const r = run('predict --keep id', ['predict', '--model', 'runs/table/best', '--data', 'rows.csv', '--keep', 'id'], 0);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0].split(',')[0], 'id');
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]), Array.from({ length: 24 }, (_, i) => `id${i}`));
    run('predict --keep of a column that is not there', ['predict', '--model', 'runs/table/best', '--data', 'rows.csv', '--keep', 'idd'], 2);
    write('rows.csv', csv(24, 1));
    run('--resume after the training file changed', ['search', 'table.yaml', '--out', 'runs', '--resume'], 2, 'runs/table');
  });

  await t.test('4. validate catches what a trial would hit', () => {
    const base = `name: v
data: {source: random, rows: 20}
inputs: {n: {type: structured, columns: 3}, p: {type: image, shape: [8, 8, 3]}}
`;
    const specs: Record<string, string> = {
      'conv on a structured input': `${base}blocks:\n  conv: {type: conv, input: n}\n  m: {type: merge, inputs: [conv, p]}\nheads: {y: {type: regression, input: m}}\n`,
      'rnn on an image': `${base}blocks:\n  r: {type: rnn, input: p}\n  m: {type: merge, inputs: [r, n]}\nheads: {y: {type: regression, input: m}}\n`,
      'names, settings and numbers': `name: v
data: {source: random, rows: 20}
inputs:
  n: {type: structured, columns: 3}
  "bad-key": {type: nonsense}
heads:
  val: {type: regression}
  unweighted: {type: regression}
  c: {type: classification, classes: 2, loss: categorical_crossentropy}
search: {epochs: 1e999, batch_size: .inf}
`,
      'sizes past the machine': `name: v
data: {source: random}
inputs: {t: {type: text, max_tokens: 1000000000}, p: {type: image, shape: [100000, 100000, 3]}}
heads: {y: {type: regression}}
`,
    };
    for (const [label, text] of Object.entries(specs)) {
      write('v.yaml', text);
      run(label, ['validate', 'v.yaml'], 2);
    }
  });

  await t.test('EPIPE: automm schema | head ends quietly', () => {
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" schema | head -c 10 >/dev/null`], { cwd: R, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  const actual = golden.join('\n');
  if (process.env.UPDATE_GOLDEN) fs.writeFileSync(GOLDEN, actual);
  assert.equal(actual, fs.readFileSync(GOLDEN, 'utf8'));
});
