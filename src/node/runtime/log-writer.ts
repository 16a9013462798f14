// Writes a container's output to a CRI-format log file with size-based rotation. Rotated files
// are `<path>.1` (newest) ... `<path>.<maxFiles-1>` (oldest); older ones are deleted.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { systemClock, type Clock } from './clock.js';
import { encodeLogRecord, formatRFC3339Nano, type LogStream, type LogTag } from './cri-log.js';

export interface LogWriterOptions {
  /** Rotate when the current file would grow past this many bytes. Default 10 MiB (kubelet's). */
  maxBytes?: number;
  /** Files kept, the current one included; at least 2. Default 5 (kubelet's). */
  maxFiles?: number;
  /** Longer lines are split into `P` records of this size. Default 16 KiB (containerd's). */
  maxLineBytes?: number;
  clock?: Clock;
}

export interface LogWriter {
  readonly path: string;
  /** Appends output; complete lines are written at once, a trailing fragment is held. */
  write(stream: LogStream, chunk: Buffer): void;
  /** Writes held fragments as final lines and closes the file. Idempotent. */
  close(): void;
}

/** Rotated file names for `path`, newest first. */
export function rotatedLogPaths(path: string, maxFiles: number): string[] {
  const out: string[] = [];
  for (let i = 1; i < maxFiles; i++) out.push(`${path}.${i}`);
  return out;
}

export function openLogWriter(path: string, options: LogWriterOptions = {}): LogWriter {
  const maxBytes = Math.max(256, options.maxBytes ?? 10 * 1024 * 1024);
  const maxFiles = Math.max(2, options.maxFiles ?? 5);
  const maxLine = Math.max(16, options.maxLineBytes ?? 16 * 1024);
  const clock = options.clock ?? systemClock;
  mkdirSync(dirname(path), { recursive: true });
  let fd: number | undefined = openSync(path, 'a');
  let size = fstatSync(fd).size;
  const pending: Record<LogStream, Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  let lastMs = 0;
  let seq = 0;

  const timestamp = (): string => {
    // Records written within one millisecond get increasing nanoseconds, so order survives sorting.
    const now = clock.now();
    const ms = now.getTime();
    seq = ms === lastMs ? seq + 1 : 0;
    lastMs = ms;
    return formatRFC3339Nano(now, seq);
  };

  const rotate = (): void => {
    if (fd !== undefined) closeSync(fd);
    const rotated = rotatedLogPaths(path, maxFiles);
    const oldest = rotated[rotated.length - 1];
    if (oldest !== undefined) rmSync(oldest, { force: true });
    for (let i = rotated.length - 1; i > 0; i--) {
      const from = rotated[i - 1];
      const to = rotated[i];
      if (from === undefined || to === undefined) continue;
      try {
        renameSync(from, to);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    const first = rotated[0];
    if (first !== undefined) renameSync(path, first);
    fd = openSync(path, 'a');
    size = 0;
  };

  const record = (stream: LogStream, tag: LogTag, content: Buffer): void => {
    if (fd === undefined) return;
    const rec = encodeLogRecord(timestamp(), stream, tag, content);
    if (size > 0 && size + rec.length > maxBytes) rotate();
    if (fd === undefined) return;
    writeSync(fd, rec);
    size += rec.length;
  };

  return {
    path,
    write(stream, chunk) {
      if (fd === undefined || chunk.length === 0) return;
      let buf = pending[stream].length > 0 ? Buffer.concat([pending[stream], chunk]) : chunk;
      for (;;) {
        const nl = buf.indexOf(0x0a);
        if (nl < 0) break;
        let line = buf.subarray(0, nl);
        buf = buf.subarray(nl + 1);
        while (line.length > maxLine) {
          record(stream, 'P', line.subarray(0, maxLine));
          line = line.subarray(maxLine);
        }
        record(stream, 'F', line);
      }
      while (buf.length > maxLine) {
        record(stream, 'P', buf.subarray(0, maxLine));
        buf = buf.subarray(maxLine);
      }
      pending[stream] = Buffer.from(buf);
    },
    close() {
      if (fd === undefined) return;
      for (const stream of ['stdout', 'stderr'] as const) {
        if (pending[stream].length > 0) record(stream, 'F', pending[stream]);
        pending[stream] = Buffer.alloc(0);
      }
      closeSync(fd);
      fd = undefined;
    },
  };
}
