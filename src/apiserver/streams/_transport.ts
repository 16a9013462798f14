// The client's side of one exec/attach session, whatever carries it (WebSocket channels or SPDY
// streams). remotecommand.ts drives a session through this seam; wsv5.ts and the SPDY transport
// in remotecommand.ts implement it.
import type { Readable, Writable } from 'node:stream';
import type { StatusDetails } from '../../api/index.js';

/** A terminal size as kubectl sends it: `{"Width":80,"Height":24}`. */
export interface TerminalSize {
  width: number;
  height: number;
}

/**
 * What goes on the error channel at the end (client-go errorDecoderV4 reads it). Written without
 * kind/apiVersion, as the kubelet marshals it.
 */
export interface CommandStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code?: number;
}

export interface CommandTransport {
  /** Bytes from the client's stdin; ends at the client's EOF (or when it goes away). */
  readonly stdin: Readable | undefined;
  /** To the client's stdout; `end()` closes the channel where the protocol can say so. */
  readonly stdout: Writable | undefined;
  readonly stderr: Writable | undefined;
  /** Terminal sizes as the client reports them (tty sessions). */
  onResize(listener: (size: TerminalSize) => void): void;
  /** Sends the final status on the error channel, in the format of the negotiated version. */
  writeStatus(status: CommandStatus): Promise<void>;
  /**
   * Ends the session after everything written so far reached the client; resolves when the
   * connection is closed (bounded by the transport's grace period).
   */
  finish(): Promise<void>;
  /** Abandons the session now. */
  destroy(): void;
  /** Resolves when the connection is gone, whoever closed it. */
  readonly closed: Promise<void>;
}

/**
 * Reads the resize channel: a stream of JSON objects (Go's json.Encoder writes one per line) cut
 * anywhere. Keys are matched case-insensitively as encoding/json does. Bounded: at most 4 KiB of
 * unparsed text is kept.
 */
export class ResizeDecoder {
  private text = '';

  push(chunk: Buffer | string): TerminalSize[] {
    this.text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const out: TerminalSize[] = [];
    // Each pass removes at least one character, so the loop ends.
    for (;;) {
      const start = this.text.indexOf('{');
      if (start < 0) {
        this.text = '';
        break;
      }
      const end = this.text.indexOf('}', start);
      if (end < 0) {
        this.text = this.text.slice(start);
        if (this.text.length > 4096) this.text = '';
        break;
      }
      const json = this.text.slice(start, end + 1);
      this.text = this.text.slice(end + 1);
      const size = parseSize(json);
      if (size) out.push(size);
    }
    return out;
  }
}

function parseSize(json: string): TerminalSize | undefined {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  let width: number | undefined;
  let height: number | undefined;
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'number' || !Number.isInteger(val) || val < 0 || val > 0xffff) continue;
    if (k.toLowerCase() === 'width') width = val;
    if (k.toLowerCase() === 'height') height = val;
  }
  return width === undefined || height === undefined ? undefined : { width, height };
}
