import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLogWriter } from './log-writer.js';
import { LogNotFoundError, containerLogPath, readContainerLogs, readLog, type ReadLogOptions } from './log-reader.js';
import { ManualClock } from './_testing.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'kubeloop-logr-'));
}

async function collect(path: string, options: ReadLogOptions = {}): Promise<string> {
  let out = '';
  for await (const chunk of readLog(path, options)) out += chunk.toString();
  return out;
}

/** Lines 0..n-1, one second apart starting at 10:00:00. */
function writeLines(path: string, n: number, options: { maxBytes?: number; maxFiles?: number } = {}): void {
  const clock = new ManualClock(Date.parse('2025-01-01T10:00:00Z'));
  const w = openLogWriter(path, { clock, ...options });
  for (let i = 0; i < n; i++) {
    w.write(i % 2 === 0 ? 'stdout' : 'stderr', Buffer.from(`line ${i}\n`));
    clock.advance(1000);
  }
  w.close();
}

test('reads every line of both streams in order', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeLines(join(dir, '0.log'), 3);
  assert.equal(await collect(join(dir, '0.log')), 'line 0\nline 1\nline 2\n');
});

test('tailLines returns the last N lines, across rotated files', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, '0.log');
  writeLines(path, 30, { maxBytes: 200, maxFiles: 5 });
  const out = await collect(path, { tailLines: 8 });
  assert.equal(out, Array.from({ length: 8 }, (_, i) => `line ${22 + i}\n`).join(''));
  assert.equal(await collect(path, { tailLines: 0 }), '');
});

test('sinceTime and sinceSeconds drop older lines', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, '0.log');
  writeLines(path, 10);
  assert.equal(await collect(path, { sinceTime: new Date('2025-01-01T10:00:07Z') }), 'line 7\nline 8\nline 9\n');
  const clock = new ManualClock(Date.parse('2025-01-01T10:00:10Z'));
  assert.equal(await collect(path, { sinceSeconds: 2, clock }), 'line 8\nline 9\n');
});

test('timestamps prefix each line with its RFC3339Nano time', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, '0.log');
  writeLines(path, 2);
  assert.equal(await collect(path, { timestamps: true }), '2025-01-01T10:00:00Z line 0\n2025-01-01T10:00:01Z line 1\n');
});

test('split lines are joined and get one timestamp', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, '0.log');
  writeFileSync(path, '2025-01-01T10:00:00Z stdout P abc\n2025-01-01T10:00:00.1Z stdout F def\n');
  assert.equal(await collect(path, { timestamps: true }), '2025-01-01T10:00:00Z abcdef\n');
});

test('limitBytes stops the output', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, '0.log');
  writeLines(path, 5);
  assert.equal(await collect(path, { limitBytes: 10 }), 'line 0\nlin');
});

test('previous reads the instance before the newest one', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const clock = new ManualClock();
  for (const n of [0, 1]) {
    const w = openLogWriter(containerLogPath(dir, n), { clock });
    w.write('stdout', Buffer.from(`instance ${n}\n`));
    w.close();
  }
  let current = '';
  for await (const c of readContainerLogs(dir)) current += c.toString();
  let previous = '';
  for await (const c of readContainerLogs(dir, { previous: true })) previous += c.toString();
  assert.equal(current, 'instance 1\n');
  assert.equal(previous, 'instance 0\n');
});

test('previous without an earlier instance is a LogNotFoundError', (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(dir, { recursive: true });
  writeFileSync(containerLogPath(dir, 0), '');
  assert.throws(() => readContainerLogs(dir, { previous: true }), LogNotFoundError);
});

test('follow yields lines written later, across a rotation, and ends when the container ends', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, '0.log');
  const w = openLogWriter(path, { maxBytes: 150, maxFiles: 3 });
  w.write('stdout', Buffer.from('before\n'));
  let end: () => void = () => undefined;
  const until = new Promise<void>((r) => (end = r));
  const got: string[] = [];
  const reader = (async () => {
    for await (const c of readLog(path, { follow: true, until, pollIntervalMs: 10, tailLines: 1 })) got.push(c.toString());
  })();
  await new Promise((r) => setTimeout(r, 50));
  // Enough output to rotate the file at least once while the reader follows it.
  for (let i = 0; i < 6; i++) {
    w.write('stdout', Buffer.from(`after ${i} ${'y'.repeat(30)}\n`));
    await new Promise((r) => setTimeout(r, 15));
  }
  w.close();
  end();
  const timeout = setTimeout(() => assert.fail('follow did not end after the container ended'), 5000);
  await reader;
  clearTimeout(timeout);
  assert.deepEqual(
    got.join('').split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 2).join(' ')),
    ['before', 'after 0', 'after 1', 'after 2', 'after 3', 'after 4', 'after 5'],
  );
});

test('follow stops when its signal aborts', async (t) => {
  const dir = tmp();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, '0.log');
  writeLines(path, 1);
  const ac = new AbortController();
  const reader = collect(path, { follow: true, signal: ac.signal, pollIntervalMs: 10 });
  setTimeout(() => ac.abort(), 50);
  assert.equal(await reader, 'line 0\n');
});
