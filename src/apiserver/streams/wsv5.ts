// The channel protocols of exec/attach over WebSocket (apimachinery wsstream/conn.go), on `ws`:
//
//   v5.channel.k8s.io      binary messages, byte 0 = channel, rest = data; `255 <id>` closes a
//                          channel (kubectl sends `FF 00` at its stdin EOF). What kubectl 1.32 uses.
//   v4.channel.k8s.io      the same without channel close; Status JSON on the error channel.
//   channel.k8s.io         the same framing; plain-text errors (v1). Chosen when none is offered.
//   base64.channel.k8s.io  text messages: '0'+channel, then the data in standard base64.
//
// Channels: 0 stdin (client → server), 1 stdout, 2 stderr, 3 error/status, 4 resize
// (`{"Width":80,"Height":24}`). The session ends with the status on channel 3, then a close frame
// with code 1000 — without it kubectl either hangs or reports `close 1006 (abnormal closure)`.
// Pings are answered by `ws` itself (autoPong); kubectl pings every 5 s and gives up after 61 s.
import { PassThrough, Writable } from 'node:stream';
import type { WebSocket, RawData } from 'ws';
import { ResizeDecoder, type CommandStatus, type CommandTransport, type TerminalSize } from './_transport.js';

export const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io', 'base64.channel.k8s.io'] as const;
export type ChannelProtocol = (typeof CHANNEL_PROTOCOLS)[number];

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** WebSocket close codes used here. */
export const WS_CLOSE = { normal: 1000, protocolError: 1002 } as const;

/**
 * The protocol to answer with: the first offered one we speak; `channel.k8s.io` when the client
 * offers none (as wsstream); undefined when it offers only ones we do not speak.
 */
export function selectChannelProtocol(offered: readonly string[]): ChannelProtocol | undefined {
  if (offered.length === 0) return 'channel.k8s.io';
  return offered.find((p): p is ChannelProtocol => (CHANNEL_PROTOCOLS as readonly string[]).includes(p));
}

/** A message as it goes on the wire. */
export interface ChannelMessage {
  data: Buffer | string;
  binary: boolean;
}

export function encodeChannelMessage(protocol: ChannelProtocol, channel: number, data: Buffer): ChannelMessage {
  if (protocol === 'base64.channel.k8s.io') return { data: String.fromCharCode(48 + channel) + data.toString('base64'), binary: false };
  return { data: Buffer.concat([Buffer.from([channel]), data]), binary: true };
}

export type DecodedMessage =
  | { kind: 'data'; channel: number; data: Buffer }
  | { kind: 'close'; channel: number }
  | { kind: 'ignored'; why: string }
  | { kind: 'invalid'; why: string };

export function decodeChannelMessage(protocol: ChannelProtocol, raw: Buffer, binary: boolean): DecodedMessage {
  if (protocol === 'base64.channel.k8s.io') {
    if (binary) return { kind: 'ignored', why: 'binary message on a base64 channel protocol' };
    const text = raw.toString('utf8');
    if (text.length === 0) return { kind: 'ignored', why: 'empty message' };
    const channel = text.charCodeAt(0) - 48;
    if (channel < 0 || channel > 9) return { kind: 'invalid', why: `invalid channel character ${JSON.stringify(text[0])}` };
    return { kind: 'data', channel, data: Buffer.from(text.slice(1), 'base64') };
  }
  if (!binary) return { kind: 'ignored', why: 'text message on a binary channel protocol' };
  if (raw.length === 0) return { kind: 'ignored', why: 'empty message' };
  const channel = raw[0]!;
  if (channel === CHANNEL.close && protocol === 'v5.channel.k8s.io') {
    if (raw.length !== 2) return { kind: 'invalid', why: `stream close message of ${raw.length} bytes, want 2` };
    return { kind: 'close', channel: raw[1]! };
  }
  return { kind: 'data', channel, data: raw.subarray(1) };
}

/** Whether the error channel carries a Status JSON (v4, v5) or plain text on failure only. */
export function statusIsJson(protocol: ChannelProtocol): boolean {
  return protocol === 'v5.channel.k8s.io' || protocol === 'v4.channel.k8s.io';
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** Above this many bytes queued in `ws`, writers wait for the socket. */
const HIGH_WATER = 1 << 20;

/** An exec/attach session's channels over an accepted WebSocket. */
export class WsCommandTransport implements CommandTransport {
  readonly stdin: PassThrough | undefined;
  readonly stdout: Writable | undefined;
  readonly stderr: Writable | undefined;
  readonly closed: Promise<void>;
  private readonly resizeListeners: ((s: TerminalSize) => void)[] = [];
  private readonly resize = new ResizeDecoder();
  private isClosed = false;
  private readonly closeGraceMs: number;

  constructor(
    private readonly ws: WebSocket,
    readonly protocol: ChannelProtocol,
    opts: { stdin: boolean; stdout: boolean; stderr: boolean; closeGraceMs?: number; log?: (line: Record<string, unknown>) => void },
  ) {
    this.closeGraceMs = opts.closeGraceMs ?? 10_000;
    this.stdin = opts.stdin ? new PassThrough() : undefined;
    this.stdout = opts.stdout ? this.channelWriter(CHANNEL.stdout) : undefined;
    this.stderr = opts.stderr ? this.channelWriter(CHANNEL.stderr) : undefined;
    this.closed = new Promise((resolve) => {
      ws.once('close', () => {
        this.isClosed = true;
        // The client went away: its stdin ends with it.
        this.stdin?.end();
        resolve();
      });
    });
    ws.on('error', (e: Error) => opts.log?.({ level: 'debug', msg: 'websocket error', error: e.message }));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const m = decodeChannelMessage(protocol, toBuffer(data), isBinary);
      switch (m.kind) {
        case 'data':
          this.onChannelData(m.channel, m.data);
          return;
        case 'close':
          if (m.channel === CHANNEL.stdin) this.stdin?.end();
          return;
        case 'ignored':
          return;
        case 'invalid':
          opts.log?.({ level: 'debug', msg: 'websocket channel protocol error', error: m.why });
          ws.close(WS_CLOSE.protocolError, m.why.slice(0, 120));
          return;
        default: {
          const never: never = m;
          return never;
        }
      }
    });
  }

  onResize(listener: (size: TerminalSize) => void): void {
    this.resizeListeners.push(listener);
  }

  writeStatus(status: CommandStatus): Promise<void> {
    if (statusIsJson(this.protocol)) return this.send(CHANNEL.error, Buffer.from(JSON.stringify(status)));
    // v1 protocols carry only a failure's message, as text.
    if (status.status === 'Success') return Promise.resolve();
    return this.send(CHANNEL.error, Buffer.from(status.message ?? 'error'));
  }

  async finish(): Promise<void> {
    if (!this.isClosed) this.ws.close(WS_CLOSE.normal);
    // The client answers the close frame and `ws` then ends the socket; a client that does not
    // is cut off after the grace period.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.closeGraceMs)));
    await Promise.race([this.closed, grace]);
    clearTimeout(timer);
    if (!this.isClosed) this.ws.terminate();
    await this.closed;
  }

  destroy(): void {
    this.ws.terminate();
  }

  private onChannelData(channel: number, data: Buffer): void {
    if (channel === CHANNEL.stdin) {
      if (!this.stdin || this.stdin.writableEnded) return;
      // Backpressure: stop reading the socket while the process's stdin is full.
      if (!this.stdin.write(data)) {
        this.ws.pause();
        this.stdin.once('drain', () => this.ws.resume());
      }
    } else if (channel === CHANNEL.resize) {
      for (const size of this.resize.push(data)) for (const l of this.resizeListeners) l(size);
    }
  }

  private send(channel: number, data: Buffer): Promise<void> {
    if (this.isClosed || this.ws.readyState !== this.ws.OPEN) return Promise.resolve();
    const m = encodeChannelMessage(this.protocol, channel, data);
    return new Promise((resolve) => {
      this.ws.send(m.data, { binary: m.binary }, () => resolve());
    });
  }

  private channelWriter(channel: number): Writable {
    return new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        const sent = this.send(channel, chunk);
        // Wait for the socket only when `ws` has a lot queued; otherwise keep the data flowing.
        if (this.ws.bufferedAmount > HIGH_WATER) void sent.then(() => cb());
        else cb();
      },
    });
  }
}

