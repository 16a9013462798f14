// Accepting a WebSocket with `ws`, and a WebSocket as a byte stream for the port-forward tunnel.
import type { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import type { RawData, WebSocket, WebSocketServer } from 'ws';

/**
 * Completes the handshake answering with `protocol`. `ws` only accepts RFC 7230 tokens in the
 * client's Sec-WebSocket-Protocol, and kubectl's `SPDY/3.1+portforward.k8s.io` has a `/`; the
 * choice was already made by the caller, so the header is swapped for a token and `protocol`
 * comes back through `handleProtocols` (wired to `chosen`).
 */
export function acceptWebSocket(
  wss: WebSocketServer,
  chosen: WeakMap<IncomingMessage, string>,
  conn: { req: IncomingMessage; socket: Duplex; head: Buffer },
  protocol: string,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    // `ws` answers a failed handshake itself and destroys the socket without calling back.
    const onClose = () => reject(new Error('connection closed during the WebSocket handshake'));
    conn.socket.once('close', onClose);
    chosen.set(conn.req, protocol);
    if (conn.req.headers['sec-websocket-protocol'] !== undefined) conn.req.headers['sec-websocket-protocol'] = 'negotiated';
    wss.handleUpgrade(conn.req, conn.socket, conn.head, (ws) => {
      conn.socket.off('close', onClose);
      resolve(ws);
    });
  });
}

/**
 * The port-forward tunnel (client-go tools/portforward/tunneling_connection.go): bytes cut into
 * binary messages anywhere, no prefix. Reading concatenates every binary message; a text message
 * is a protocol error. Ending writes a normal-closure (1000) close frame; the peer's close ends
 * the readable side.
 */
function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export function webSocketDuplex(ws: WebSocket): Duplex {
  const duplex = new Duplex({
    allowHalfOpen: false,
    read() {
      ws.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      if (ws.readyState !== ws.OPEN) return cb(new Error('WebSocket is not open'));
      ws.send(chunk, { binary: true }, (err) => cb(err ?? null));
    },
    final(cb) {
      if (ws.readyState === ws.OPEN) ws.close(1000);
      cb();
    },
    destroy(err, cb) {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) {
        // A clean end (no error) still says goodbye; `ws` destroys the socket after its close timeout.
        if (err) ws.terminate();
        else ws.close(1000);
      }
      cb(err);
    },
  });
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (!isBinary) {
      ws.close(1003, 'invalid message type received');
      duplex.destroy(new Error('text message in a binary tunnel'));
      return;
    }
    if (!duplex.push(toBuffer(data))) ws.pause();
  });
  ws.on('close', () => {
    duplex.push(null);
    // Nothing more can be written either.
    duplex.destroy();
  });
  ws.on('error', (e: Error) => duplex.destroy(e));
  return duplex;
}
