// SPDY/3 header blocks: `count(32)` then `len(32) name len(32) value` per pair (several values
// of one name are joined by NUL), compressed with zlib primed with the SPDY/3 dictionary. One
// zlib stream per direction lives as long as the connection and every block ends with a
// Z_SYNC_FLUSH, so the contexts must see the blocks in wire order: each `HeaderZlib` runs its
// operations strictly one after another.
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';
import { SpdyProtocolError } from './frames.js';

/** Header names are lower-case on the wire; values in order of appearance. */
export type SpdyHeaders = ReadonlyMap<string, readonly string[]>;

/** The first value of `name` (as Go's `http.Header.Get`), or undefined. */
export function headerValue(headers: SpdyHeaders, name: string): string | undefined {
  return headers.get(name.toLowerCase())?.[0];
}

export function encodeHeaderBlock(headers: Iterable<readonly [string, string | readonly string[]]>): Buffer {
  const parts: Buffer[] = [];
  let count = 0;
  for (const [name, value] of headers) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(typeof value === 'string' ? value : value.join('\0'), 'utf8');
    const ln = Buffer.alloc(4);
    ln.writeUInt32BE(n.length);
    const lv = Buffer.alloc(4);
    lv.writeUInt32BE(v.length);
    parts.push(ln, n, lv, v);
    count++;
  }
  const c = Buffer.alloc(4);
  c.writeUInt32BE(count);
  return Buffer.concat([c, ...parts]);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const fail = (why: string) => new SpdyProtocolError(`Cannot decode SPDY header block: ${why}`);
  if (block.length < 4) throw fail(`${block.length} bytes is too short`);
  const count = block.readUInt32BE(0);
  // Each pair takes at least 8 bytes, which bounds the loop by the block's size.
  if (count > (block.length - 4) / 8) throw fail(`${count} pairs cannot fit in ${block.length} bytes`);
  const out = new Map<string, string[]>();
  let off = 4;
  const str = (): string => {
    if (off + 4 > block.length) throw fail('truncated length');
    const len = block.readUInt32BE(off);
    off += 4;
    if (off + len > block.length) throw fail('truncated string');
    const s = block.toString('utf8', off, off + len);
    off += len;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const name = str().toLowerCase();
    const values = str().split('\0');
    const prev = out.get(name);
    if (prev) prev.push(...values);
    else out.set(name, values);
  }
  return out;
}

/** One direction's zlib context; `run` passes a block through it and sync-flushes. */
class HeaderZlib {
  private chain: Promise<unknown> = Promise.resolve();
  private out: Buffer[] = [];
  private outBytes = 0;
  private failure: Error | undefined;
  private pending: ((e: Error) => void) | undefined;

  constructor(
    private readonly z: Deflate | Inflate,
    private readonly maxOutput: number,
  ) {
    z.on('data', (c: Buffer) => {
      this.out.push(c);
      this.outBytes += c.length;
      if (this.outBytes > this.maxOutput) this.fail(new SpdyProtocolError(`Cannot decode SPDY header block: more than ${this.maxOutput} bytes`));
    });
    z.on('error', (e: Error) => this.fail(e));
  }

  run(input: Buffer): Promise<Buffer> {
    const op = this.chain.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.failure) return reject(this.failure);
          this.out = [];
          this.outBytes = 0;
          // A zlib error destroys the stream and the flush callback may never come: fail() rejects.
          this.pending = reject;
          this.z.write(input);
          this.z.flush(constants.Z_SYNC_FLUSH, () => {
            this.pending = undefined;
            if (this.failure) return reject(this.failure);
            resolve(Buffer.concat(this.out));
          });
        }),
    );
    this.chain = op.catch(() => undefined);
    return op;
  }

  close(): void {
    this.fail(new Error('header compression context closed'));
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.z.destroy();
    const reject = this.pending;
    this.pending = undefined;
    reject?.(e);
  }
}

/** Compresses this side's header blocks (the whole connection shares one context). */
export class HeaderCompressor {
  private readonly zlib: HeaderZlib;
  /** `level` 9 is what spdystream uses; any level decodes the same. */
  constructor(opts: { level?: number } = {}) {
    this.zlib = new HeaderZlib(createDeflate({ dictionary: SPDY3_DICTIONARY, level: opts.level ?? constants.Z_DEFAULT_COMPRESSION }), Number.MAX_SAFE_INTEGER);
  }
  compress(headers: Iterable<readonly [string, string | readonly string[]]>): Promise<Buffer> {
    return this.zlib.run(encodeHeaderBlock(headers));
  }
  close(): void {
    this.zlib.close();
  }
}

/** Decompresses the peer's header blocks. Rejects (and stays failed) on a corrupt stream. */
export class HeaderDecompressor {
  private readonly zlib: HeaderZlib;
  constructor(opts: { maxBlockBytes?: number } = {}) {
    this.zlib = new HeaderZlib(createInflate({ dictionary: SPDY3_DICTIONARY }), opts.maxBlockBytes ?? 1 << 20);
  }
  async decompress(compressed: Buffer): Promise<SpdyHeaders> {
    return decodeHeaderBlock(await this.zlib.run(compressed));
  }
  close(): void {
    this.zlib.close();
  }
}
