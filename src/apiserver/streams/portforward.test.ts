import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { createPodStreamsHandler } from './index.js';
import { parsePortsQuery, streamHeadersProblem } from './portforward.js';
import { SpdyConnection, type SpdyStream } from './spdy/connection.js';
import { freePort, rawWebSocketClient, ScriptedStreams, startEchoHttpServer, startUpgradeServer, storedPod, waitFor } from './_testing.js';

const PATH = '/api/v1/namespaces/default/pods/p/portforward';

const readAll = async (s: SpdyStream): Promise<string> => {
  let out = '';
  s.on('data', (d: Buffer) => (out += d.toString()));
  if (!s.readableEnded) await once(s, 'end');
  return out;
};

describe('port-forward stream checks', () => {
  test('the port header must be a port, the stream type error or data (kubelet messages)', () => {
    const h = (o: Record<string, string>) => new Map(Object.entries(o).map(([k, v]) => [k, [v]]));
    assert.equal(streamHeadersProblem(h({ streamtype: 'data', port: '8080', requestid: '0' })), undefined);
    assert.equal(streamHeadersProblem(h({ streamtype: 'data' })), '"port" header is required');
    assert.equal(streamHeadersProblem(h({ streamtype: 'data', port: 'http' })), 'unable to parse "http" as a port');
    assert.equal(streamHeadersProblem(h({ streamtype: 'data', port: '0' })), 'port "0" must be > 0');
    assert.equal(streamHeadersProblem(h({ port: '80', streamtype: 'stdin' })), 'invalid stream type "stdin"');
  });

  test('`ports=` values must be ports', () => {
    assert.deepEqual(parsePortsQuery(new URLSearchParams('ports=8080&ports=9090,1')), [8080, 9090, 1]);
    assert.throws(() => parsePortsQuery(new URLSearchParams('ports=http')), /invalid port "http"/);
  });
});

for (const transport of ['raw SPDY', 'the WebSocket tunnel'] as const) {
  describe(`port-forward over ${transport}`, () => {
    const streams = new ScriptedStreams();
    let server: Awaited<ReturnType<typeof startUpgradeServer>>;
    let echo: Awaited<ReturnType<typeof startEchoHttpServer>>;
    before(async () => {
      echo = await startEchoHttpServer();
      streams.ports.set(8080, echo.port);
      server = await startUpgradeServer(createPodStreamsHandler(streams, { streamCreationTimeoutMs: 300 }), storedPod('p'));
    });
    after(async () => {
      await server.close();
      await echo.close();
    });

    /** A client SPDY connection to the handler over the transport under test. */
    const dial = async (): Promise<SpdyConnection> => {
      if (transport === 'the WebSocket tunnel') {
        // Cut the SPDY bytes into messages the way kubectl was seen to.
        const c = await rawWebSocketClient({ port: server.port, path: PATH, protocol: 'SPDY/3.1+portforward.k8s.io', cuts: [2, 2, 4, 4, 4, 1, 1, 52] });
        assert.match(c.responseHead, /^HTTP\/1.1 101 Switching Protocols\r\n/);
        assert.match(c.responseHead, /\r\nSec-WebSocket-Protocol: SPDY\/3.1\+portforward.k8s.io(\r\n|$)/);
        return new SpdyConnection(c.stream, { role: 'client' });
      }
      const socket = connect({ host: '127.0.0.1', port: server.port });
      await once(socket, 'connect');
      socket.write(`POST ${PATH}?ports=8080 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\nContent-Length: 0\r\n\r\n`);
      let buf: Buffer = Buffer.alloc(0);
      const end = await new Promise<number>((resolve) => {
        const onData = (d: Buffer) => {
          buf = Buffer.concat([buf, d]);
          const i = buf.indexOf('\r\n\r\n');
          if (i < 0) return;
          socket.off('data', onData);
          resolve(i);
        };
        socket.on('data', onData);
      });
      const head = buf.subarray(0, end).toString();
      assert.match(head, /^HTTP\/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY\/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io$/);
      return new SpdyConnection(socket, { role: 'client', head: buf.subarray(end + 4) });
    };

    const openPair = async (conn: SpdyConnection, port: number, requestId: number) => {
      const error = await conn.openStream([['streamtype', 'error'], ['port', String(port)], ['requestid', String(requestId)]]);
      error.end(); // as kubectl: the error stream is read-only for the client
      const data = await conn.openStream([['streamtype', 'data'], ['port', String(port)], ['requestid', String(requestId)]]);
      return { error, data };
    };

    test('forwards a connection: bytes both ways, FIN on data when the pod closes, then an empty error stream', async () => {
      const conn = await dial();
      const { error, data } = await openPair(conn, 8080, 0);
      data.write('GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      const body = await readAll(data);
      assert.match(body, /^HTTP\/1.1 200 OK\r\n/);
      assert.match(body, /hello from \/hello\n$/);
      assert.equal(await readAll(error), '');
      data.end();
      await waitFor(() => echo.openSockets() === 0, { what: 'the pod socket to close' });
      conn.destroy();
    });

    test('carries many connections at once, each on its own pair', async () => {
      const conn = await dial();
      const pairs = await Promise.all(Array.from({ length: 12 }, (_, i) => openPair(conn, 8080, i)));
      const bodies = await Promise.all(
        pairs.map(async ({ data }, i) => {
          data.write(`GET /par/${i} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
          return readAll(data);
        }),
      );
      bodies.forEach((b, i) => assert.match(b, new RegExp(`hello from /par/${i}\\n$`)));
      conn.destroy();
    });

    test('writes a failure to connect on the error stream, then ends both streams', async () => {
      const closed = await freePort();
      const conn = await dial();
      const { error, data } = await openPair(conn, closed, 0);
      const [msg] = await Promise.all([readAll(error), readAll(data)]);
      assert.match(msg, new RegExp(`^error forwarding port ${closed} to pod p_default, uid uid-1: failed to connect to localhost:${closed}`));
      conn.destroy();
    });

    test('refuses a stream without a port header', async () => {
      const conn = await dial();
      await assert.rejects(conn.openStream([['streamtype', 'data'], ['requestid', '0']]), /reset/);
      conn.destroy();
    });

    test('reports a pair that never completes after the creation timeout', async () => {
      const conn = await dial();
      const error = await conn.openStream([['streamtype', 'error'], ['port', '8080'], ['requestid', '9']]);
      assert.match(await readAll(error), /request=9\) timed out waiting for streams/);
      conn.destroy();
    });

    test('echoes PING', async () => {
      const conn = await dial();
      await conn.ping();
      await conn.ping();
      conn.destroy();
    });

    test('destroys the pod sockets when the client connection goes away', async () => {
      const conn = await dial();
      const { data } = await openPair(conn, 8080, 0);
      // Keep-alive: the pod side stays open.
      data.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
      await new Promise<void>((resolve) => data.once('data', () => resolve()));
      assert.equal(echo.openSockets(), 1);
      conn.destroy();
      await waitFor(() => echo.openSockets() === 0, { what: 'the pod socket to be destroyed' });
    });
  });
}

describe('port-forward refusals', () => {
  const streams = new ScriptedStreams();
  let server: Awaited<ReturnType<typeof startUpgradeServer>>;
  before(async () => {
    server = await startUpgradeServer(createPodStreamsHandler(streams), storedPod('p'));
  });
  after(() => server.close());

  const answer = async (headers: string): Promise<string> => {
    const socket = connect({ host: '127.0.0.1', port: server.port });
    await once(socket, 'connect');
    socket.write(`POST ${PATH}?ports=8080 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n${headers}Content-Length: 0\r\n\r\n`);
    let out = '';
    socket.on('data', (d: Buffer) => (out += d.toString()));
    await once(socket, 'close');
    return out;
  };

  test('a SPDY upgrade without portforward.k8s.io is refused (403)', async () => {
    const r = await answer('Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n');
    assert.match(r, /^HTTP\/1.1 403 Forbidden/);
    assert.match(r, /unable to negotiate protocol/);
  });

  test('an upgrade to something else is refused (400)', async () => {
    const r = await answer('Upgrade: h2c\r\n');
    assert.match(r, /^HTTP\/1.1 400 Bad Request/);
    assert.match(r, /unable to upgrade: missing upgrade headers in request/);
  });

  test('a WebSocket without the tunnel sub-protocol is refused (400)', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${PATH}`, ['v4.channel.k8s.io']);
    ws.on('error', () => undefined);
    const [, res] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number }];
    assert.equal(res.statusCode, 400);
  });
});
