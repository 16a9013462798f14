import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Duplex } from 'node:stream';
import { describe, test } from 'node:test';
import { SpdyConnection, type SpdyStream } from './connection.js';
import { encodePing, FrameReader, type Frame } from './frames.js';
import { duplexPair, hex, OBSERVED_PF_DATA_SYN, OBSERVED_PF_ERROR_SYN } from './_testing.js';

const readAll = async (s: SpdyStream): Promise<string> => {
  let out = '';
  s.on('data', (d: Buffer) => (out += d.toString()));
  await once(s, 'end');
  return out;
};

/** A server connection, a client connection on the other end, and the server's accepted streams. */
function pair(serverOpts: ConstructorParameters<typeof SpdyConnection>[1] = {}) {
  const [a, b] = duplexPair();
  const accepted: SpdyStream[] = [];
  const server = new SpdyConnection(a, { onStream: (s) => accepted.push(s), ...serverOpts });
  const client = new SpdyConnection(b, { role: 'client' });
  return { server, client, accepted, a, b };
}

/** Records the frames a connection writes on its transport. */
function tap(side: Duplex): Frame[] {
  const frames: Frame[] = [];
  const r = new FrameReader();
  const write = side.write.bind(side) as (chunk: Buffer, cb?: () => void) => boolean;
  side.write = ((chunk: Buffer, cb?: () => void) => {
    frames.push(...r.push(chunk));
    return write(chunk, cb);
  }) as typeof side.write;
  return frames;
}

describe('SpdyConnection', () => {
  test('accepts a stream, replies, and carries data both ways with FIN half-close', async () => {
    const { server, client, accepted } = pair();
    const c = await client.openStream([['streamtype', 'data'], ['port', '8080']]);
    assert.equal(accepted.length, 1);
    const s = accepted[0]!;
    const sClosed = once(s, 'close');
    assert.equal(s.id, 1);
    assert.equal(s.header('streamType'), 'data');
    assert.equal(s.header('port'), '8080');
    const serverGot = readAll(s);
    c.end('ping from client');
    assert.equal(await serverGot, 'ping from client');
    const clientGot = readAll(c);
    s.end('pong from server');
    assert.equal(await clientGot, 'pong from server');
    await sClosed;
    assert.equal(server.openStreams, 0);
    client.destroy();
    await server.closed;
  });

  test("decodes kubectl's own bytes and answers each SYN_STREAM with a SYN_REPLY", async () => {
    const [a, b] = duplexPair();
    const frames = tap(a);
    const accepted: SpdyStream[] = [];
    const server = new SpdyConnection(a, { onStream: (s) => accepted.push(s) });
    b.write(Buffer.concat([OBSERVED_PF_ERROR_SYN, hex('00 00 00 01 01 00 00 00'), OBSERVED_PF_DATA_SYN]));
    await waitUntil(() => accepted.length === 2 && frames.length === 2);
    assert.deepEqual(
      accepted.map((s) => [s.id, s.header('streamtype'), s.header('requestid')]),
      [
        [1, 'error', '0'],
        [3, 'data', '0'],
      ],
    );
    assert.deepEqual(
      frames.map((f) => (f.type === 'SYN_REPLY' ? f.streamId : -1)),
      [1, 3],
    );
    // The client's FIN on the error stream ended its readable side.
    accepted[0]!.resume();
    await once(accepted[0]!, 'end');
    server.destroy();
  });

  test('echoes the peer’s PING with the same id and ignores its own', async () => {
    const [a, b] = duplexPair();
    const frames = tap(a);
    const server = new SpdyConnection(a, {});
    b.write(Buffer.concat([encodePing(1), encodePing(2), encodePing(7)]));
    await waitUntil(() => frames.length === 2);
    assert.deepEqual(frames, [
      { type: 'PING', id: 1 },
      { type: 'PING', id: 7 },
    ]);
    server.destroy();
  });

  test('a RST_STREAM from the peer destroys the stream without a RST back', async () => {
    const { server, client, accepted, a } = pair();
    const frames = tap(a);
    const c = await client.openStream([['streamtype', 'data']]);
    const s = accepted[0]!;
    c.reset();
    await once(s, 'close');
    assert.equal(s.resetByPeer, true);
    assert.equal(frames.filter((f) => f.type === 'RST_STREAM').length, 0);
    client.destroy();
    await server.closed;
  });

  test('destroying a stream before both sides finished resets it (CANCEL)', async () => {
    const { client, accepted } = pair();
    const c = await client.openStream([['streamtype', 'data']]);
    accepted[0]!.destroy();
    await once(c, 'close');
    assert.equal(c.resetByPeer, true);
    client.destroy();
  });

  test('refuses streams the accept hook rejects, without a reply', async () => {
    const { client, accepted } = pair({ accept: (h) => h.get('port')?.[0] === '80' });
    await assert.rejects(client.openStream([['port', '81']]), /reset/);
    const ok = await client.openStream([['port', '80']]);
    assert.equal(ok.id, 3);
    assert.equal(accepted.length, 1);
    client.destroy();
  });

  test('refuses streams beyond maxStreams', async () => {
    const { client } = pair({ maxStreams: 2 });
    await client.openStream([['n', '1']]);
    await client.openStream([['n', '2']]);
    await assert.rejects(client.openStream([['n', '3']]), /reset/);
    client.destroy();
  });

  test('refuses a stream id that does not increase (protocol error)', async () => {
    const [a, b] = duplexPair();
    const frames = tap(a);
    const accepted: SpdyStream[] = [];
    const server = new SpdyConnection(a, { onStream: (s) => accepted.push(s) });
    // The same SYN_STREAM id 1 twice (the second block continues the zlib stream correctly).
    b.write(OBSERVED_PF_ERROR_SYN);
    const second = Buffer.from(OBSERVED_PF_DATA_SYN);
    second.writeUInt32BE(1, 8);
    b.write(second);
    await waitUntil(() => frames.length === 2);
    assert.equal(accepted.length, 1);
    assert.deepEqual(frames[1], { type: 'RST_STREAM', streamId: 1, status: 1 });
    server.destroy();
  });

  test('sends GOAWAY and closes on garbage', async () => {
    const [a, b] = duplexPair();
    const frames = tap(a);
    const server = new SpdyConnection(a, {});
    b.write(hex('80 02 00 06 00 00 00 04 00 00 00 01'));
    await server.closed;
    assert.deepEqual(frames, [{ type: 'GOAWAY', lastGoodStreamId: 0, status: 1 }]);
  });

  test('closing the transport tears down every stream', async () => {
    const { server, client, accepted, b } = pair();
    await client.openStream([['n', '1']]);
    await client.openStream([['n', '2']]);
    const closes = accepted.map((s) => once(s, 'close'));
    b.destroy();
    await server.closed;
    await Promise.all(closes);
    assert.equal(server.openStreams, 0);
    assert.equal(server.isOpen, false);
  });

  test('large writes are split into frames of at most 32 KiB and arrive intact', async () => {
    const { client, accepted, a } = pair();
    const frames = tap(a);
    const c = await client.openStream([['n', '1']]);
    const big = Buffer.alloc(200_000, 7);
    const got = (async () => {
      const parts: Buffer[] = [];
      c.on('data', (d: Buffer) => parts.push(d));
      await once(c, 'end');
      return Buffer.concat(parts);
    })();
    accepted[0]!.end(big);
    assert.deepEqual(await got, big);
    const data = frames.flatMap((f) => (f.type === 'DATA' ? [f] : []));
    assert.ok(data.every((f) => f.data.length <= 32 * 1024));
    assert.equal(data.filter((f) => f.data.length > 0).length, Math.ceil(200_000 / (32 * 1024)));
    assert.equal(data.at(-1)?.fin, true);
    client.destroy();
  });

  test('a slow reader pauses the transport until it reads again', async () => {
    const { client, accepted, a } = pair();
    const c = await client.openStream([['n', '1']]);
    const s = accepted[0]!;
    s.pause();
    for (let i = 0; i < 100; i++) c.write(Buffer.alloc(16 * 1024));
    await waitUntil(() => a.isPaused());
    let total = 0;
    s.on('data', (d: Buffer) => (total += d.length));
    s.resume();
    await waitUntil(() => total === 100 * 16 * 1024);
    assert.equal(a.isPaused(), false);
    client.destroy();
  });
});

async function waitUntil(fn: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
