import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodeData, encodeGoAway, encodePing, encodeRstStream, encodeSynReply, FrameReader, SpdyProtocolError, type Frame } from './frames.js';
import { hex, OBSERVED_PF_DATA_SYN, OBSERVED_PF_ERROR_SYN } from './_testing.js';

const readAll = (bytes: Buffer): Frame[] => new FrameReader().push(bytes);

describe('SPDY frame encoding matches the bytes seen with kubectl', () => {
  test('DATA with FIN and no payload is `00 00 00 01 01 00 00 00`', () => {
    assert.deepEqual(encodeData(1, Buffer.alloc(0), { fin: true }), hex('00 00 00 01 01 00 00 00'));
  });

  test('DATA carries a 24-bit length after the flags byte', () => {
    const body = Buffer.alloc(0x54, 0x41);
    assert.deepEqual(encodeData(3, body).subarray(0, 8), hex('00 00 00 03 00 00 00 54'));
  });

  test('PING id 1 is `80 03 00 06 00 00 00 04 00 00 00 01`', () => {
    assert.deepEqual(encodePing(1), hex('80 03 00 06 00 00 00 04 00 00 00 01'));
  });

  test('SYN_REPLY has type 2, the stream id, then the header block', () => {
    const block = hex('78bbe3c6a7c262000200000000ffff');
    assert.deepEqual(encodeSynReply(1, block), hex('80 03 00 02 00 00 00 13 | 00 00 00 01 | 78bbe3c6a7c262000200000000ffff'));
  });

  test('RST_STREAM and GOAWAY carry id and status', () => {
    assert.deepEqual(encodeRstStream(3, 5), hex('80 03 00 03 00 00 00 08 00 00 00 03 00 00 00 05'));
    assert.deepEqual(encodeGoAway(7, 0), hex('80 03 00 07 00 00 00 08 00 00 00 07 00 00 00 00'));
  });
});

describe('FrameReader', () => {
  test("decodes kubectl's SYN_STREAM: id, associated id, priority and the compressed header block", () => {
    const [f] = readAll(OBSERVED_PF_ERROR_SYN);
    assert.ok(f && f.type === 'SYN_STREAM');
    assert.equal(f.streamId, 1);
    assert.equal(f.associatedId, 0);
    assert.equal(f.priority, 0);
    assert.equal(f.fin, false);
    assert.equal(f.headerBlock.length, 0x3e - 10);
    assert.deepEqual(f.headerBlock.subarray(0, 6), hex('78 f9 e3 c6 a7 c2'));
  });

  test('reassembles a frame cut into WebSocket messages of 2,2,4,4,4,1,1,52 bytes', () => {
    const r = new FrameReader();
    const cuts = [2, 2, 4, 4, 4, 1, 1, 52];
    let off = 0;
    const got: Frame[] = [];
    for (const n of cuts) {
      got.push(...r.push(OBSERVED_PF_ERROR_SYN.subarray(off, off + n)));
      off += n;
    }
    assert.equal(off, OBSERVED_PF_ERROR_SYN.length);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.type, 'SYN_STREAM');
    assert.equal(r.pending, 0);
  });

  test('returns every complete frame of a chunk, in order, and keeps the incomplete tail', () => {
    const bytes = Buffer.concat([OBSERVED_PF_ERROR_SYN, hex('00 00 00 01 01 00 00 00'), OBSERVED_PF_DATA_SYN, hex('00 00 00 03 00 00 00 05 68 65')]);
    const r = new FrameReader();
    const frames = r.push(bytes);
    assert.deepEqual(
      frames.map((f) => f.type),
      ['SYN_STREAM', 'DATA', 'SYN_STREAM'],
    );
    assert.equal(r.pending, 10);
    const rest = r.push(Buffer.from('llo'));
    assert.deepEqual(rest, [{ type: 'DATA', streamId: 3, fin: false, data: Buffer.from('hello') }]);
  });

  test('decodes a byte-at-a-time stream identically', () => {
    const bytes = Buffer.concat([OBSERVED_PF_ERROR_SYN, encodePing(1), encodeData(1, Buffer.alloc(0), { fin: true })]);
    const r = new FrameReader();
    const frames: Frame[] = [];
    for (const b of bytes) frames.push(...r.push(Buffer.from([b])));
    assert.deepEqual(frames, readAll(bytes));
    assert.deepEqual(frames[1], { type: 'PING', id: 1 });
    assert.deepEqual(frames[2], { type: 'DATA', streamId: 1, fin: true, data: Buffer.alloc(0) });
  });

  test('reads RST_STREAM, GOAWAY, SETTINGS and WINDOW_UPDATE; keeps unknown control types', () => {
    const settings = hex('80 03 00 04 01 00 00 0c 00 00 00 01 01 00 00 07 00 01 00 00');
    const wu = hex('80 03 00 09 00 00 00 08 00 00 00 01 00 00 10 00');
    const unknown = hex('80 03 00 0a 00 00 00 02 ab cd');
    assert.deepEqual(readAll(Buffer.concat([encodeRstStream(3, 5), encodeGoAway(0, 0), settings, wu, unknown])), [
      { type: 'RST_STREAM', streamId: 3, status: 5 },
      { type: 'GOAWAY', lastGoodStreamId: 0, status: 0 },
      { type: 'SETTINGS', clear: true, entries: [{ flags: 1, id: 7, value: 65536 }] },
      { type: 'WINDOW_UPDATE', streamId: 1, delta: 4096 },
      { type: 'UNKNOWN', controlType: 10, flags: 0, payload: hex('ab cd') },
    ]);
  });

  test('refuses another SPDY version and truncated control payloads', () => {
    assert.throws(() => readAll(hex('80 02 00 06 00 00 00 04 00 00 00 01')), SpdyProtocolError);
    assert.throws(() => readAll(hex('80 03 00 03 00 00 00 04 00 00 00 01')), /RST_STREAM/);
  });

  test('refuses a frame larger than its limit before buffering it', () => {
    const r = new FrameReader(1024);
    assert.throws(() => r.push(hex('00 00 00 01 00 00 08 00')), /exceeds the limit/);
  });
});
