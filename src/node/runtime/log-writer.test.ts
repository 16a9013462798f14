import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLogWriter } from './log-writer.js';
import { ManualClock } from './_testing.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'kubeloop-logw-'));
}

test('complete lines are written as F records, each with its stream', (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const clock = new ManualClock(Date.parse('2025-03-04T05:06:07.008Z'));
  const w = openLogWriter(join(dir, '0.log'), { clock });
  w.write('stdout', Buffer.from('one\ntw'));
  w.write('stderr', Buffer.from('oops\n'));
  w.write('stdout', Buffer.from('o\n'));
  w.close();
  assert.equal(
    readFileSync(join(dir, '0.log'), 'utf8'),
    '2025-03-04T05:06:07.008Z stdout F one\n' +
      '2025-03-04T05:06:07.008000001Z stderr F oops\n' +
      '2025-03-04T05:06:07.008000002Z stdout F two\n',
  );
});

test('closing writes a trailing fragment as a final line', (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const w = openLogWriter(join(dir, '0.log'), { clock: new ManualClock() });
  w.write('stdout', Buffer.from('no newline'));
  assert.equal(readFileSync(join(dir, '0.log'), 'utf8'), '');
  w.close();
  assert.match(readFileSync(join(dir, '0.log'), 'utf8'), / stdout F no newline\n$/);
});

test('lines longer than the limit are split into P records ending with an F record', (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const w = openLogWriter(join(dir, '0.log'), { clock: new ManualClock(), maxLineBytes: 16 });
  w.write('stdout', Buffer.from(`${'a'.repeat(16)}${'b'.repeat(16)}cc\n`));
  w.close();
  const tags = readFileSync(join(dir, '0.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' ').slice(2).join(' '));
  assert.deepEqual(tags, [`P ${'a'.repeat(16)}`, `P ${'b'.repeat(16)}`, 'F cc']);
});

test('rotation keeps maxFiles files, newest rotated first, and deletes older ones', (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, '0.log');
  const w = openLogWriter(path, { clock: new ManualClock(), maxBytes: 300, maxFiles: 3 });
  for (let i = 0; i < 40; i++) w.write('stdout', Buffer.from(`line ${String(i).padStart(3, '0')} ${'x'.repeat(20)}\n`));
  w.close();
  assert.ok(existsSync(`${path}.1`) && existsSync(`${path}.2`));
  assert.ok(!existsSync(`${path}.3`), 'only maxFiles files are kept');
  for (const f of [path, `${path}.1`, `${path}.2`]) assert.ok(readFileSync(f).length <= 300, `${f} stays under maxBytes`);
  const current = readFileSync(path, 'utf8');
  assert.match(current, /line 039/);
  const newestRotated = readFileSync(`${path}.1`, 'utf8');
  const oldestRotated = readFileSync(`${path}.2`, 'utf8');
  const firstNum = (s: string): number => Number(/line (\d+)/.exec(s)?.[1]);
  assert.ok(firstNum(oldestRotated) < firstNum(newestRotated) && firstNum(newestRotated) < firstNum(current));
  assert.doesNotMatch(oldestRotated + newestRotated + current, /line 000/, 'the oldest lines were rotated away');
});
