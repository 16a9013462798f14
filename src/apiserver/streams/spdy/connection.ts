// A SPDY/3.1 session over any byte duplex (a TLS socket after `Upgrade: SPDY/3.1`, or the
// bytes tunnelled in WebSocket messages). It implements what kubectl's spdystream needs and
// nothing else: streams opened by the peer (or, for tests, by us), DATA with FIN half-close,
// RST_STREAM, PING echo, GOAWAY. There is no flow control: spdystream neither sends nor honours
// WINDOW_UPDATE, so SETTINGS and WINDOW_UPDATE are read and ignored. Backpressure is local —
// a stream whose reader is slow pauses the whole transport, a slow transport delays writers.
import { Duplex } from 'node:stream';
import {
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  encodeSynStream,
  FrameReader,
  GOAWAY,
  RST,
  SpdyProtocolError,
  type Frame,
} from './frames.js';
import { HeaderCompressor, HeaderDecompressor, headerValue, type SpdyHeaders } from './headers.js';

/** DATA frames we send carry at most this much (spdystream reads any size up to 16 MiB). */
const MAX_DATA_CHUNK = 32 * 1024;
const EMPTY = Buffer.alloc(0);

export interface SpdyConnectionOptions {
  /** `server` accepts odd (client) stream ids; `client` opens odd ids. Default `server`. */
  role?: 'server' | 'client';
  /** Bytes already read from the transport (the `head` of an HTTP upgrade). */
  head?: Buffer;
  /**
   * Decides whether to accept a stream the peer opens, from its headers. A refused stream is
   * reset (REFUSED_STREAM) without a reply. Default: accept.
   */
  accept?(headers: SpdyHeaders, streamId: number): boolean;
  /** Receives each accepted stream; its SYN_REPLY is already queued, so it may write at once. */
  onStream?(stream: SpdyStream): void;
  /** At most this many open streams; more are refused. Default 1000. */
  maxStreams?: number;
  log?: (line: Record<string, unknown>) => void;
}

/**
 * One SPDY stream: the readable side is the peer's DATA (ending at its FIN), the writable side
 * becomes our DATA frames, and `end()` sends our FIN. `destroy()` before both sides finished
 * resets the stream (RST_STREAM CANCEL). `resetByPeer` tells a peer's RST from a normal end.
 */
export class SpdyStream extends Duplex {
  resetByPeer = false;
  /** @internal */ localFin = false;
  /** @internal */ remoteFin = false;
  /** @internal */ replied = false;
  /** @internal */ replyWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];

  constructor(
    private readonly conn: SpdyConnection,
    readonly id: number,
    readonly headers: SpdyHeaders,
  ) {
    super({ allowHalfOpen: true });
  }

  header(name: string): string | undefined {
    return headerValue(this.headers, name);
  }

  /** Sends RST_STREAM with `status` (CANCEL by default) and destroys the stream. */
  reset(status: number = RST.CANCEL): void {
    this.conn.resetStream(this, status);
  }

  override _read(): void {
    this.conn.resumeFor(this);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.conn.sendData(this, chunk, false, cb);
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.localFin = true;
    this.conn.sendData(this, EMPTY, true, cb);
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.conn.streamDestroyed(this);
    cb(err);
  }
}

export class SpdyConnection {
  /** Resolves once the transport is closed and every stream torn down. */
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly pausedBy = new Set<SpdyStream>();
  private readonly outQueue: { frame: Buffer | Promise<Buffer>; cb?: (e?: Error | null) => void }[] = [];
  private inQueue: Frame[] = [];
  private pumpingOut = false;
  private pumpingIn = false;
  private lastPeerStreamId = 0;
  private nextLocalStreamId: number;
  private nextPingId: number;
  private readonly pings = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private goneAway = false;
  private isClosed = false;
  private readonly role: 'server' | 'client';
  private readonly maxStreams: number;

  constructor(
    private readonly transport: Duplex,
    private readonly o: SpdyConnectionOptions = {},
  ) {
    this.role = o.role ?? 'server';
    this.nextLocalStreamId = this.role === 'server' ? 2 : 1;
    this.nextPingId = this.role === 'server' ? 2 : 1;
    this.maxStreams = o.maxStreams ?? 1000;
    this.closed = new Promise((r) => (this.resolveClosed = r));
    transport.on('data', (chunk: Buffer) => this.onBytes(chunk));
    transport.on('end', () => this.teardown());
    transport.on('close', () => this.teardown());
    transport.on('error', (e: Error) => {
      this.o.log?.({ level: 'debug', msg: 'spdy transport error', error: e.message });
      this.teardown();
    });
    if (o.head && o.head.length > 0) this.onBytes(o.head);
  }

  get isOpen(): boolean {
    return !this.isClosed;
  }

  /** Streams currently open (for tests and leak checks). */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Opens a stream (client role, or server push in tests); resolves once the peer replied. */
  async openStream(headers: Iterable<readonly [string, string]>): Promise<SpdyStream> {
    if (this.isClosed || this.goneAway) throw new Error('Cannot open SPDY stream: connection is closing');
    const id = this.nextLocalStreamId;
    this.nextLocalStreamId += 2;
    const list = [...headers];
    const stream = new SpdyStream(this, id, new Map(list.map(([k, v]) => [k.toLowerCase(), [v]])));
    this.streams.set(id, stream);
    const replied = new Promise<void>((resolve, reject) => stream.replyWaiters.push({ resolve, reject }));
    this.enqueue(this.compressor.compress(list).then((block) => encodeSynStream(id, block)));
    await replied;
    return stream;
  }

  /** Sends a PING with an id of our parity; resolves when the peer echoes it. */
  ping(): Promise<void> {
    const id = this.nextPingId;
    this.nextPingId += 2;
    return new Promise((resolve, reject) => {
      if (this.isClosed) return reject(new Error('SPDY connection closed'));
      this.pings.set(id, { resolve, reject });
      this.enqueue(encodePing(id));
    });
  }

  /** Sends GOAWAY: no new streams are accepted; open ones continue. */
  goAway(status: number = GOAWAY.OK): void {
    if (this.goneAway || this.isClosed) return;
    this.goneAway = true;
    this.enqueue(encodeGoAway(this.lastPeerStreamId, status));
  }

  /** Flushes what is queued, then half-closes the transport. */
  end(): void {
    if (this.isClosed) return;
    this.enqueue(EMPTY, () => this.transport.end());
  }

  /** Tears everything down now: streams destroyed, transport destroyed. */
  destroy(): void {
    this.transport.destroy();
    this.teardown();
  }

  // ------------------------------------------------------------------ used by SpdyStream

  /** @internal */
  sendData(stream: SpdyStream, data: Buffer, fin: boolean, cb: (e?: Error | null) => void): void {
    if (this.isClosed) return cb(new Error('SPDY connection closed'));
    // Bounded: ceil(len / MAX_DATA_CHUNK) frames.
    for (let off = 0; off < data.length; off += MAX_DATA_CHUNK) {
      const last = off + MAX_DATA_CHUNK >= data.length;
      const piece = data.subarray(off, off + MAX_DATA_CHUNK);
      this.enqueue(encodeData(stream.id, piece, { fin: fin && last }), last ? cb : undefined);
    }
    if (data.length === 0) this.enqueue(encodeData(stream.id, EMPTY, { fin }), cb);
    if (fin) this.maybeForget(stream);
  }

  /** @internal */
  resetStream(stream: SpdyStream, status: number): void {
    if (this.streams.get(stream.id) === stream && !this.isClosed) this.enqueue(encodeRstStream(stream.id, status));
    this.forget(stream);
    stream.destroy();
  }

  /** @internal */
  streamDestroyed(stream: SpdyStream): void {
    // Destroyed before both sides finished: tell the peer, unless it reset the stream itself.
    if (this.streams.get(stream.id) === stream && !(stream.localFin && stream.remoteFin) && !stream.resetByPeer && !this.isClosed) {
      this.enqueue(encodeRstStream(stream.id, RST.CANCEL));
    }
    this.forget(stream);
  }

  /** @internal */
  resumeFor(stream: SpdyStream): void {
    if (this.pausedBy.delete(stream) && this.pausedBy.size === 0 && !this.isClosed) this.transport.resume();
  }

  // ------------------------------------------------------------------ internals

  private forget(stream: SpdyStream): void {
    if (this.streams.get(stream.id) === stream) this.streams.delete(stream.id);
    this.resumeFor(stream);
    for (const w of stream.replyWaiters.splice(0)) w.reject(new Error('SPDY stream reset'));
  }

  private maybeForget(stream: SpdyStream): void {
    if (stream.localFin && stream.remoteFin && this.streams.get(stream.id) === stream) this.streams.delete(stream.id);
  }

  private enqueue(frame: Buffer | Promise<Buffer>, cb?: (e?: Error | null) => void): void {
    if (frame instanceof Promise) frame.catch(() => undefined); // observed in pumpOut
    this.outQueue.push(cb ? { frame, cb } : { frame });
    void this.pumpOut();
  }

  private async pumpOut(): Promise<void> {
    if (this.pumpingOut) return;
    this.pumpingOut = true;
    try {
      // Each pass removes one item; the queue only grows by calls from outside this loop.
      while (this.outQueue.length > 0) {
        const item = this.outQueue[0]!;
        let buf: Buffer;
        try {
          buf = item.frame instanceof Promise ? await item.frame : item.frame;
        } catch (e) {
          this.o.log?.({ level: 'warn', msg: 'spdy header compression failed', error: String(e) });
          this.outQueue.shift();
          item.cb?.(e instanceof Error ? e : new Error(String(e)));
          this.destroy();
          continue;
        }
        this.outQueue.shift();
        if (this.isClosed || this.transport.destroyed) {
          item.cb?.(new Error('SPDY connection closed'));
          continue;
        }
        const ok = buf.length === 0 ? true : this.transport.write(buf);
        if (!ok) await this.drained();
        item.cb?.();
      }
    } finally {
      this.pumpingOut = false;
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.transport.off('drain', done);
        this.transport.off('close', done);
        resolve();
      };
      this.transport.on('drain', done);
      this.transport.on('close', done);
    });
  }

  private onBytes(chunk: Buffer): void {
    if (this.isClosed) return;
    let frames: Frame[];
    try {
      frames = this.reader.push(chunk);
    } catch (e) {
      return this.protocolError(e);
    }
    if (frames.length === 0) return;
    this.inQueue.push(...frames);
    void this.pumpIn();
  }

  private async pumpIn(): Promise<void> {
    if (this.pumpingIn) return;
    this.pumpingIn = true;
    try {
      while (this.inQueue.length > 0 && !this.isClosed) {
        const frame = this.inQueue.shift()!;
        await this.handle(frame);
      }
    } catch (e) {
      this.protocolError(e);
    } finally {
      this.pumpingIn = false;
    }
  }

  private protocolError(e: unknown): void {
    this.o.log?.({ level: 'warn', msg: 'spdy protocol error', error: e instanceof Error ? e.message : String(e) });
    if (!this.isClosed) {
      this.goneAway = true;
      this.enqueue(encodeGoAway(this.lastPeerStreamId, GOAWAY.PROTOCOL_ERROR), () => this.destroy());
    }
  }

  private async handle(f: Frame): Promise<void> {
    switch (f.type) {
      case 'DATA': {
        const s = this.streams.get(f.streamId);
        // DATA for a stream we no longer know (reset, finished) is dropped, as spdystream does.
        if (!s || s.remoteFin) return;
        if (f.data.length > 0 && !s.push(f.data)) {
          this.pausedBy.add(s);
          this.transport.pause();
        }
        if (f.fin) this.remoteFinished(s);
        return;
      }
      case 'SYN_STREAM': {
        // Decompress first, always: the zlib context must see every block in order.
        const headers = await this.decompressor.decompress(f.headerBlock);
        const peerOdd = this.role === 'server';
        if ((f.streamId % 2 === 1) !== peerOdd || f.streamId <= this.lastPeerStreamId) {
          this.enqueue(encodeRstStream(f.streamId, RST.PROTOCOL_ERROR));
          return;
        }
        this.lastPeerStreamId = f.streamId;
        if (this.goneAway || this.streams.size >= this.maxStreams || (this.o.accept && !this.o.accept(headers, f.streamId))) {
          this.enqueue(encodeRstStream(f.streamId, RST.REFUSED_STREAM));
          return;
        }
        const s = new SpdyStream(this, f.streamId, headers);
        s.replied = true;
        this.streams.set(f.streamId, s);
        this.enqueue(this.compressor.compress([]).then((block) => encodeSynReply(f.streamId, block)));
        if (f.fin) this.remoteFinished(s);
        this.o.onStream?.(s);
        return;
      }
      case 'SYN_REPLY': {
        await this.decompressor.decompress(f.headerBlock);
        const s = this.streams.get(f.streamId);
        if (!s || s.replied) return;
        s.replied = true;
        for (const w of s.replyWaiters.splice(0)) w.resolve();
        if (f.fin) this.remoteFinished(s);
        return;
      }
      case 'HEADERS': {
        await this.decompressor.decompress(f.headerBlock);
        const s = this.streams.get(f.streamId);
        if (s && f.fin) this.remoteFinished(s);
        return;
      }
      case 'RST_STREAM': {
        const s = this.streams.get(f.streamId);
        if (!s) return;
        s.resetByPeer = true;
        this.forget(s);
        s.destroy();
        return;
      }
      case 'PING': {
        // Echo the peer's pings (its ids have the peer's parity); ours coming back need nothing.
        const peerParity = this.role === 'server' ? 1 : 0;
        if (f.id % 2 === peerParity) this.enqueue(encodePing(f.id));
        else {
          this.pings.get(f.id)?.resolve();
          this.pings.delete(f.id);
        }
        return;
      }
      case 'GOAWAY':
        this.goneAway = true;
        return;
      case 'SETTINGS':
      case 'WINDOW_UPDATE':
      case 'UNKNOWN':
        return;
      default: {
        const never: never = f;
        throw new SpdyProtocolError(`unexpected frame ${JSON.stringify(never)}`);
      }
    }
  }

  private remoteFinished(s: SpdyStream): void {
    if (s.remoteFin) return;
    s.remoteFin = true;
    s.push(null);
    this.maybeForget(s);
  }

  private teardown(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.inQueue = [];
    for (const item of this.outQueue.splice(0)) item.cb?.(new Error('SPDY connection closed'));
    // Copy first: destroying a stream removes it from the map.
    for (const s of [...this.streams.values()]) {
      this.streams.delete(s.id);
      s.destroy();
    }
    this.pausedBy.clear();
    for (const p of this.pings.values()) p.reject(new Error('SPDY connection closed'));
    this.pings.clear();
    this.compressor.close();
    this.decompressor.close();
    if (!this.transport.destroyed) this.transport.destroy();
    this.resolveClosed();
  }
}
