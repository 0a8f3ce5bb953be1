import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ProblemLog } from './errors';
import { displayPath, openTable, Row, Table } from './read-table';
import { scratch, write } from './testing';

async function rowsOf(table: Table): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const chunk of table.chunks()) rows.push(...chunk);
  return rows;
}

async function open(file: string): Promise<{ table?: Table; log: ProblemLog }> {
  const log = new ProblemLog();
  return { table: await openTable(file, log), log };
}

test('CSV: quoted fields, embedded commas, quotes and newlines, a BOM, column names with spaces; rows know their line', async () => {
  const dir = scratch();
  const file = write(dir, 't.csv', '\ufeffid,"home city",note (free)\n1,Paris,"a, b"\n2,"Saint ""Lyon""","two\nlines"\n\n3,Nice,5" screen\n');
  const { table } = await open(file);
  assert.deepEqual(table!.columns, ['id', 'home city', 'note (free)']);
  const rows = await rowsOf(table!);
  assert.deepEqual(rows.map((r) => r.cells), [['1', 'Paris', 'a, b'], ['2', 'Saint "Lyon"', 'two\nlines'], ['3', 'Nice', '5" screen']]);
  assert.deepEqual(rows.map((r) => r.line), [2, 4, 6]);
  assert.equal(table!.where(4), `${displayPath(file)}:4`);
  // Read again from the start: passes are independent.
  assert.equal((await rowsOf(table!)).length, 3);
});

test('CSV: a row with the wrong number of fields is flagged, not dropped', async () => {
  const dir = scratch();
  const { table } = await open(write(dir, 't.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n'));
  const rows = await rowsOf(table!);
  assert.equal(rows[0].error, undefined);
  assert.equal(rows[1].error, 'the row has 2 fields, the header has 3');
  assert.equal(rows[2].error, 'the row has 4 fields, the header has 3');
});

test('CSV: Windows line ends count as one line; an unclosed quote is a row error where the file ends', async () => {
  const dir = scratch();
  const crlf = await rowsOf((await open(write(dir, 'w.csv', 'a,b\r\n1,2\r\n\r\n3,"x\r\ny"\r\n5,6\r\n'))).table!);
  assert.deepEqual(crlf.map((r) => [r.cells, r.line]), [[['1', '2'], 2], [['3', 'x\r\ny'], 5], [['5', '6'], 6]]);
  const open_ = await rowsOf((await open(write(dir, 'q.csv', 'a,b\n1,2\n3,"open\n4,5\n'))).table!);
  assert.equal(open_.length, 2);
  assert.equal(open_[1].line, 4);
  assert.match(open_[1].error!, /^not valid CSV: Quote Not Closed/);
});

test('TSV, JSON Lines and JSON arrays read to the same cells', async () => {
  const dir = scratch();
  const tsv = (await open(write(dir, 't.tsv', 'name\tscore\nann\t3\nbob\t4\n'))).table!;
  const jsonl = (await open(write(dir, 't.jsonl', '{"name":"ann","score":3}\n\n{"name":"bob","score":4,"extra":true}\n'))).table!;
  const json = (await open(write(dir, 't.json', '[{"name":"ann","score":3},{"name":"bob","score":4}]'))).table!;
  assert.deepEqual((await rowsOf(tsv)).map((r) => r.cells), [['ann', '3'], ['bob', '4']]);
  assert.deepEqual(jsonl.columns, ['name', 'score', 'extra']);
  assert.deepEqual((await rowsOf(jsonl)).map((r) => [r.cells[0], r.cells[1], r.line]), [['ann', 3, 1], ['bob', 4, 3]]);
  assert.deepEqual((await rowsOf(json)).map((r) => r.cells), [['ann', 3], ['bob', 4]]);
  assert.match(json.where(1), /t\.json\[1\]$/);
});

test('JSON Lines: a line that is not JSON is a row error with its line', async () => {
  const dir = scratch();
  const { table } = await open(write(dir, 't.jsonl', '{"a":1}\n{"a":\n[1,2]\n'));
  const rows = await rowsOf(table!);
  assert.equal(rows[1].line, 2);
  assert.match(rows[1].error!, /^not valid JSON/);
  assert.match(rows[2].error!, /expected a JSON object/);
});

test('file problems: missing file, unknown format, empty file, not an array, repeated column names', async () => {
  const dir = scratch();
  const messages = async (file: string) => (await open(file)).log.problems.map((p) => p.message);
  assert.deepEqual(await messages(path.join(dir, 'nope.csv')), ['file not found']);
  assert.match((await messages(write(dir, 't.xlsx', 'x')))[0], /unknown table format "\.xlsx"; expected \.csv/);
  assert.match((await messages(write(dir, 'empty.csv', '')))[0], /the table is empty/);
  assert.match((await messages(write(dir, 'obj.json', '{"a": 1}')))[0], /expected a JSON array of objects/);
  assert.match((await messages(write(dir, 'dup.csv', 'a,b,a\n1,2,3\n')))[0], /repeated: "a"/);
});
