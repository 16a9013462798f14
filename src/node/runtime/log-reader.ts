// Reads a container's CRI log the way `kubectl logs` asks for it: tailLines, sinceTime /
// sinceSeconds, timestamps, limitBytes, follow (until the container ends), previous instance.
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock, type Clock } from './clock.js';
import { parseLogRecord, type LogRecord, type LogStream } from './cri-log.js';

export interface ReadLogOptions {
  /** Only the last N lines (before following). */
  tailLines?: number;
  /** Only lines written at or after this time. */
  sinceTime?: Date;
  /** Only lines written in the last N seconds (by `clock`); ignored when sinceTime is set. */
  sinceSeconds?: number;
  /** Prefix each line with its RFC3339Nano timestamp and a space. */
  timestamps?: boolean;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
  /** Only this stream; default both. */
  stream?: LogStream | 'all';
  /** Keep reading new output until `until` settles (the container ended) or `signal` aborts. */
  follow?: boolean;
  until?: Promise<unknown>;
  signal?: AbortSignal;
  /** How often a follower looks for new output. Default 100 ms. */
  pollIntervalMs?: number;
  /** Rotated files to look for (`<path>.1` ...). Default 5, as the writer's default. */
  maxFiles?: number;
  clock?: Clock;
}

export class LogNotFoundError extends Error {
  override readonly name = 'LogNotFoundError';
}

/** Where instance `restartCount` of a container writes its log, in the container's log dir. */
export function containerLogPath(containerLogDir: string, restartCount: number): string {
  return join(containerLogDir, `${restartCount}.log`);
}

/** The current (newest) or previous instance's log file in a container log dir. */
export function instanceLogPath(containerLogDir: string, options: { previous?: boolean } = {}): string {
  let names: string[] = [];
  try {
    names = readdirSync(containerLogDir);
  } catch {
    names = [];
  }
  const instances = names
    .map((n) => /^(\d+)\.log$/.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const pick = instances[instances.length - (options.previous ? 2 : 1)];
  if (pick === undefined) {
    throw new LogNotFoundError(
      options.previous
        ? `Cannot read logs: no previous container instance in ${containerLogDir}`
        : `Cannot read logs: no container log in ${containerLogDir}`,
    );
  }
  return containerLogPath(containerLogDir, pick);
}

/** Like readLog, choosing the current or `previous` instance in a container log dir. */
export function readContainerLogs(
  containerLogDir: string,
  options: ReadLogOptions & { previous?: boolean } = {},
): AsyncIterable<Buffer> {
  const path = instanceLogPath(containerLogDir, options);
  return readLog(path, options.previous ? { ...options, follow: false } : options);
}

interface Line {
  first: LogRecord;
  parts: Buffer[];
  complete: boolean;
}

function splitRecords(data: Buffer): { records: LogRecord[]; rest: Buffer } {
  const records: LogRecord[] = [];
  let start = 0;
  for (;;) {
    const nl = data.indexOf(0x0a, start);
    if (nl < 0) break;
    const rec = parseLogRecord(data.subarray(start, nl));
    if (rec) records.push(rec);
    start = nl + 1;
  }
  return { records, rest: Buffer.from(data.subarray(start)) };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Reads one container instance's log (`path` plus its rotated files) as raw output bytes, one
 * chunk per line. With `follow`, it then yields new lines, across rotations, until
 * `options.until` settles and the file is drained, or `options.signal` aborts.
 */
export async function* readLog(path: string, options: ReadLogOptions = {}): AsyncGenerator<Buffer> {
  const clock = options.clock ?? systemClock;
  const since =
    options.sinceTime?.getTime() ??
    (options.sinceSeconds !== undefined ? clock.now().getTime() - options.sinceSeconds * 1000 : undefined);
  const wanted = (r: LogRecord): boolean => options.stream === undefined || options.stream === 'all' || r.stream === options.stream;
  let budget = options.limitBytes ?? Number.POSITIVE_INFINITY;
  const maxFiles = Math.max(2, options.maxFiles ?? 5);

  // Lines already started, per stream, so that output continues a `P` fragment correctly.
  const open: Record<LogStream, boolean> = { stdout: false, stderr: false };
  const render = (r: LogRecord): Buffer => {
    const prefix = options.timestamps && !open[r.stream] ? `${r.timestamp} ` : '';
    open[r.stream] = r.tag === 'P';
    const suffix = r.tag === 'F' ? '\n' : '';
    return Buffer.concat([Buffer.from(prefix), r.content, Buffer.from(suffix)]);
  };
  const take = (b: Buffer): Buffer | undefined => {
    if (budget <= 0) return undefined;
    const out = b.length > budget ? b.subarray(0, budget) : b;
    budget -= out.length;
    return out;
  };

  // Phase 1: everything already written.
  const rotated: string[] = [];
  for (let i = maxFiles - 1; i >= 1; i--) if (existsSync(`${path}.${i}`)) rotated.push(`${path}.${i}`);
  const records: LogRecord[] = [];
  for (const f of rotated) {
    try {
      records.push(...splitRecords(readFileSync(f)).records);
    } catch {
      // Rotated away while we looked; it is gone for every reader.
    }
  }
  let fd: number | undefined;
  let ino = 0;
  let pos = 0;
  let rest: Buffer = Buffer.alloc(0);
  try {
    fd = openSync(path, 'r');
    ino = fstatSync(fd).ino;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (rotated.length === 0 && !options.follow) throw new LogNotFoundError(`Cannot read logs: ${path} does not exist`);
  }
  const readMore = (): LogRecord[] => {
    if (fd === undefined) return [];
    const chunks: Buffer[] = [rest];
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (let i = 0; i < 100_000; i++) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n <= 0) break;
      pos += n;
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    const { records: recs, rest: r } = splitRecords(Buffer.concat(chunks));
    rest = r;
    return recs;
  };
  try {
    records.push(...readMore());

    // Group records into logical lines (P* F per stream), then filter.
    const lines: Line[] = [];
    const current: Partial<Record<LogStream, Line>> = {};
    for (const r of records) {
      if (!wanted(r)) continue;
      let line = current[r.stream];
      if (!line) {
        line = { first: r, parts: [], complete: false };
        lines.push(line);
        current[r.stream] = line;
      }
      line.parts.push(render(r));
      if (r.tag === 'F') {
        line.complete = true;
        delete current[r.stream];
      }
    }
    let selected = since === undefined ? lines : lines.filter((l) => l.first.time >= since);
    if (options.tailLines !== undefined) selected = options.tailLines <= 0 ? [] : selected.slice(-options.tailLines);
    for (const l of selected) {
      for (const p of l.parts) {
        const out = take(p);
        if (!out) return;
        yield out;
      }
    }

    if (!options.follow) return;

    // Phase 2: follow.
    let ended = false;
    void options.until?.then(
      () => (ended = true),
      () => (ended = true),
    );
    const interval = options.pollIntervalMs ?? 100;
    for (;;) {
      if (options.signal?.aborted) return;
      const finishing = ended;
      let progressed = false;
      for (let hop = 0; hop < maxFiles + 1; hop++) {
        const recs = readMore();
        if (recs.length > 0) progressed = true;
        for (const r of recs) {
          if (!wanted(r) || (since !== undefined && r.time < since && !open[r.stream])) continue;
          const out = take(render(r));
          if (!out) return;
          yield out;
        }
        // Rotated: the name now points at a new file; finish the old one (done above), then switch.
        let nowIno = ino;
        try {
          nowIno = statSync(path).ino;
        } catch {
          break;
        }
        if (nowIno === ino && fd !== undefined) break;
        closeFd();
        try {
          fd = openSync(path, 'r');
          ino = fstatSync(fd).ino;
          pos = 0;
          rest = Buffer.alloc(0);
        } catch {
          fd = undefined;
          break;
        }
      }
      if (finishing && !progressed) return;
      if (!progressed) await sleep(interval, options.signal);
    }
  } finally {
    closeFd();
  }

  function closeFd(): void {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  }
}
