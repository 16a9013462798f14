// The CRI container log line format kubelet reads:
//   <RFC3339Nano timestamp> <stdout|stderr> <F|P> <content>\n
// `P` marks a fragment of a line longer than the writer's limit (or cut by the end of output);
// the line continues in the next record and ends with an `F` record.

export type LogStream = 'stdout' | 'stderr';
export type LogTag = 'F' | 'P';

export interface LogRecord {
  /** The timestamp exactly as written (nanosecond precision is kept). */
  timestamp: string;
  /** Milliseconds since the epoch, for comparisons. */
  time: number;
  stream: LogStream;
  tag: LogTag;
  content: Buffer;
}

/** Go's time.RFC3339Nano in UTC: fractional seconds without trailing zeros. */
export function formatRFC3339Nano(d: Date, extraNanos = 0): string {
  const iso = d.toISOString(); // 2024-01-02T03:04:05.678Z
  const base = iso.slice(0, 19);
  const nanos = d.getUTCMilliseconds() * 1_000_000 + Math.max(0, Math.min(999_999, Math.trunc(extraNanos)));
  if (nanos === 0) return `${base}Z`;
  return `${base}.${String(nanos).padStart(9, '0').replace(/0+$/, '')}Z`;
}

const LINE = /^(\S+) (stdout|stderr) ([FP])(?: |$)/;

/** Parses one record (without its trailing newline); undefined when it is not a CRI record. */
export function parseLogRecord(line: Buffer): LogRecord | undefined {
  const head = line.subarray(0, Math.min(line.length, 64)).toString('latin1');
  const m = LINE.exec(head);
  if (!m || m[1] === undefined || m[2] === undefined || m[3] === undefined) return undefined;
  const time = Date.parse(m[1]);
  if (Number.isNaN(time)) return undefined;
  const contentStart = Math.min(line.length, m[0].length);
  return {
    timestamp: m[1],
    time,
    stream: m[2] as LogStream,
    tag: m[3] as LogTag,
    content: line.subarray(contentStart),
  };
}

/** Encodes one record, newline included. */
export function encodeLogRecord(timestamp: string, stream: LogStream, tag: LogTag, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${timestamp} ${stream} ${tag} `), content, Buffer.from('\n')]);
}
