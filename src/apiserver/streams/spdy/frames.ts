// SPDY/3.1 frames (draft-mbelshe-httpbis-spdy-00 and the 3.1 delta), as moby/spdystream —
// the library inside kubectl — writes and reads them. Everything here is synchronous and pure:
// header blocks stay compressed bytes (see headers.ts for the zlib side).
//
//   control: 1 | version(15)=3 | type(16) | flags(8) | length(24) | payload
//   data:    0 | stream-id(31) | flags(8) | length(24) | payload

export const SPDY_VERSION = 3;
/** Largest payload one frame can carry (24-bit length). */
export const MAX_FRAME_PAYLOAD = 0xffffff;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

export const CONTROL_TYPES = {
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
} as const;

/** RST_STREAM status codes. */
export const RST = {
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  UNSUPPORTED_VERSION: 4,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
  FLOW_CONTROL_ERROR: 7,
  STREAM_IN_USE: 8,
  STREAM_ALREADY_CLOSED: 9,
} as const;

/** GOAWAY status codes. */
export const GOAWAY = { OK: 0, PROTOCOL_ERROR: 1, INTERNAL_ERROR: 2 } as const;

export type Frame =
  | { type: 'DATA'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'SYN_STREAM'; streamId: number; associatedId: number; priority: number; slot: number; fin: boolean; unidirectional: boolean; headerBlock: Buffer }
  | { type: 'SYN_REPLY'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'RST_STREAM'; streamId: number; status: number }
  | { type: 'SETTINGS'; clear: boolean; entries: { flags: number; id: number; value: number }[] }
  | { type: 'PING'; id: number }
  | { type: 'GOAWAY'; lastGoodStreamId: number; status: number }
  | { type: 'HEADERS'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'WINDOW_UPDATE'; streamId: number; delta: number }
  | { type: 'UNKNOWN'; controlType: number; flags: number; payload: Buffer };

/** A violation of the framing layer; the connection cannot continue after one. */
export class SpdyProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpdyProtocolError';
  }
}

const STREAM_ID_MASK = 0x7fffffff;

// ------------------------------------------------------------------------------------ encoding

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new RangeError(`Cannot encode SPDY control frame: payload of ${payload.length} bytes is too large`);
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([head, payload]);
}

export function encodeData(streamId: number, data: Buffer, opts: { fin?: boolean } = {}): Buffer {
  if (data.length > MAX_FRAME_PAYLOAD) throw new RangeError(`Cannot encode SPDY data frame: ${data.length} bytes is too large`);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & STREAM_ID_MASK, 0);
  head.writeUInt32BE(((opts.fin ? FLAG_FIN : 0) << 24) | data.length, 4);
  return Buffer.concat([head, data]);
}

export function encodeSynStream(
  streamId: number,
  headerBlock: Buffer,
  opts: { associatedId?: number; priority?: number; fin?: boolean; unidirectional?: boolean } = {},
): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & STREAM_ID_MASK, 0);
  fixed.writeUInt32BE((opts.associatedId ?? 0) & STREAM_ID_MASK, 4);
  fixed.writeUInt8(((opts.priority ?? 0) & 0x7) << 5, 8);
  fixed.writeUInt8(0, 9);
  const flags = (opts.fin ? FLAG_FIN : 0) | (opts.unidirectional ? FLAG_UNIDIRECTIONAL : 0);
  return controlFrame(CONTROL_TYPES.SYN_STREAM, flags, Buffer.concat([fixed, headerBlock]));
}

export function encodeSynReply(streamId: number, headerBlock: Buffer, opts: { fin?: boolean } = {}): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(streamId & STREAM_ID_MASK, 0);
  return controlFrame(CONTROL_TYPES.SYN_REPLY, opts.fin ? FLAG_FIN : 0, Buffer.concat([id, headerBlock]));
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(streamId & STREAM_ID_MASK, 0);
  p.writeUInt32BE(status, 4);
  return controlFrame(CONTROL_TYPES.RST_STREAM, 0, p);
}

export function encodePing(id: number): Buffer {
  const p = Buffer.alloc(4);
  p.writeUInt32BE(id >>> 0, 0);
  return controlFrame(CONTROL_TYPES.PING, 0, p);
}

export function encodeGoAway(lastGoodStreamId: number, status: number): Buffer {
  const p = Buffer.alloc(8);
  p.writeUInt32BE(lastGoodStreamId & STREAM_ID_MASK, 0);
  p.writeUInt32BE(status, 4);
  return controlFrame(CONTROL_TYPES.GOAWAY, 0, p);
}

// ------------------------------------------------------------------------------------ decoding

function need(payload: Buffer, n: number, what: string): void {
  if (payload.length < n) throw new SpdyProtocolError(`Cannot read SPDY ${what} frame: payload of ${payload.length} bytes, need at least ${n}`);
}

function decodeControl(type: number, flags: number, payload: Buffer): Frame {
  const fin = (flags & FLAG_FIN) !== 0;
  switch (type) {
    case CONTROL_TYPES.SYN_STREAM:
      need(payload, 10, 'SYN_STREAM');
      return {
        type: 'SYN_STREAM',
        streamId: payload.readUInt32BE(0) & STREAM_ID_MASK,
        associatedId: payload.readUInt32BE(4) & STREAM_ID_MASK,
        priority: payload.readUInt8(8) >> 5,
        slot: payload.readUInt8(9),
        fin,
        unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0,
        headerBlock: payload.subarray(10),
      };
    case CONTROL_TYPES.SYN_REPLY:
      need(payload, 4, 'SYN_REPLY');
      return { type: 'SYN_REPLY', streamId: payload.readUInt32BE(0) & STREAM_ID_MASK, fin, headerBlock: payload.subarray(4) };
    case CONTROL_TYPES.RST_STREAM:
      need(payload, 8, 'RST_STREAM');
      return { type: 'RST_STREAM', streamId: payload.readUInt32BE(0) & STREAM_ID_MASK, status: payload.readUInt32BE(4) };
    case CONTROL_TYPES.SETTINGS: {
      need(payload, 4, 'SETTINGS');
      const count = payload.readUInt32BE(0);
      need(payload, 4 + count * 8, 'SETTINGS');
      const entries: { flags: number; id: number; value: number }[] = [];
      for (let i = 0; i < count; i++) {
        const off = 4 + i * 8;
        const word = payload.readUInt32BE(off);
        entries.push({ flags: word >>> 24, id: word & 0xffffff, value: payload.readUInt32BE(off + 4) });
      }
      return { type: 'SETTINGS', clear: fin, entries };
    }
    case CONTROL_TYPES.PING:
      need(payload, 4, 'PING');
      return { type: 'PING', id: payload.readUInt32BE(0) };
    case CONTROL_TYPES.GOAWAY:
      need(payload, 4, 'GOAWAY');
      // SPDY/2 peers send no status; SPDY/3 adds it.
      return { type: 'GOAWAY', lastGoodStreamId: payload.readUInt32BE(0) & STREAM_ID_MASK, status: payload.length >= 8 ? payload.readUInt32BE(4) : 0 };
    case CONTROL_TYPES.HEADERS:
      need(payload, 4, 'HEADERS');
      return { type: 'HEADERS', streamId: payload.readUInt32BE(0) & STREAM_ID_MASK, fin, headerBlock: payload.subarray(4) };
    case CONTROL_TYPES.WINDOW_UPDATE:
      need(payload, 8, 'WINDOW_UPDATE');
      return { type: 'WINDOW_UPDATE', streamId: payload.readUInt32BE(0) & STREAM_ID_MASK, delta: payload.readUInt32BE(4) & STREAM_ID_MASK };
    default:
      return { type: 'UNKNOWN', controlType: type, flags, payload };
  }
}

/**
 * Cuts a byte stream into frames. Bytes may arrive in any split (kubectl's WebSocket tunnel
 * delivered one SYN_STREAM as eight messages of 2,2,4,4,4,1,1,52 bytes); `push` returns every
 * frame completed by the new bytes, in order. Memory is bounded by one frame plus one chunk.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxPayload = MAX_FRAME_PAYLOAD) {}

  push(chunk: Buffer): Frame[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Frame[] = [];
    // Each pass consumes one whole frame (at least 8 bytes), so the loop ends.
    while (this.buffered >= 8) {
      const head = this.peek(8);
      const length = head.readUInt32BE(4) & 0xffffff;
      if (length > this.maxPayload) throw new SpdyProtocolError(`Cannot read SPDY frame: payload of ${length} bytes exceeds the limit of ${this.maxPayload}`);
      if (this.buffered < 8 + length) break;
      const whole = this.take(8 + length);
      const payload = whole.subarray(8);
      const first = whole.readUInt16BE(0);
      const flags = whole.readUInt8(4);
      if (first & 0x8000) {
        const version = first & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`Cannot read SPDY frame: unsupported version ${version}`);
        frames.push(decodeControl(whole.readUInt16BE(2), flags, payload));
      } else {
        frames.push({ type: 'DATA', streamId: whole.readUInt32BE(0) & STREAM_ID_MASK, fin: (flags & FLAG_FIN) !== 0, data: payload });
      }
    }
    return frames;
  }

  /** Bytes received but not yet part of a complete frame. */
  get pending(): number {
    return this.buffered;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length < n) {
      const merged = Buffer.concat(this.chunks);
      this.chunks = [merged];
    }
    return this.chunks[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    const first = this.chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.chunks);
      out = all.subarray(0, n);
      this.chunks = all.length > n ? [all.subarray(n)] : [];
    }
    this.buffered -= n;
    return out;
  }
}
