// port-forward: SPDY/3.1, either tunnelled in WebSocket messages (sub-protocol
// `SPDY/3.1+portforward.k8s.io`, kubectl ≥ 1.31's first try) or on the socket itself after
// `Upgrade: SPDY/3.1` + `X-Stream-Protocol-Version: portforward.k8s.io`.
//
// kubectl opens two streams per local connection, both with headers `port` and `requestid`:
// `streamtype: error` (it half-closes it at once) and `streamtype: data`. When both are there
// the pair is forwarded (kubelet portforward/httpstream.go): one `ContainerStreams.portForward`
// socket, bytes copied both ways, our FIN on the data stream when the pod side ends, then FIN on
// the error stream (empty = no error). A failure is written as text on the error stream before
// its FIN — kubectl then prints `an error occurred forwarding L -> P: <text>` and exits.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { badRequest, type Pod, type Stored } from '../../api/index.js';
import { answerSpdyUpgrade, isWebSocketRequest, negotiateStreamProtocol, offeredWebSocketProtocols, spdyUpgradeProblem, UpgradeError, webSocketHandshakeProblem } from './_http.js';
import { acceptWebSocket, webSocketDuplex } from './_websocket.js';
import { SpdyConnection, type SpdyStream } from './spdy/connection.js';
import { headerValue, type SpdyHeaders } from './spdy/headers.js';
import type { ContainerStreams } from './types.js';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
export const PORT_FORWARD_WS_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

export interface PortForwardContext {
  streams: ContainerStreams;
  wss: WebSocketServer;
  wsProtocols: WeakMap<IncomingMessage, string>;
  streamCreationTimeoutMs: number;
  log?: (line: Record<string, unknown>) => void;
}

/** `ports=` values, if any, must be ports (the streams' own `port` headers decide the target). */
export function parsePortsQuery(q: URLSearchParams): number[] {
  const out: number[] = [];
  for (const raw of q.getAll('ports').flatMap((v) => v.split(','))) {
    const s = raw.trim();
    if (s === '') continue;
    const n = Number(s);
    if (!/^\d+$/.test(s) || n < 1 || n > 65535) throw badRequest(`invalid port ${JSON.stringify(s)}: port must be between 1 and 65535`);
    out.push(n);
  }
  return out;
}

/** The kubelet's checks on a new stream's headers; a message means the stream is refused. */
export function streamHeadersProblem(headers: SpdyHeaders): string | undefined {
  const port = headerValue(headers, 'port');
  if (port === undefined || port === '') return '"port" header is required';
  if (!/^\d+$/.test(port) || Number(port) > 65535) return `unable to parse ${JSON.stringify(port)} as a port`;
  if (Number(port) < 1) return `port ${JSON.stringify(port)} must be > 0`;
  const type = headerValue(headers, 'streamtype');
  if (type === undefined || type === '') return '"streamType" header is required';
  if (type !== 'error' && type !== 'data') return `invalid stream type ${JSON.stringify(type)}`;
  return undefined;
}

interface Pair {
  requestId: string;
  error?: SpdyStream;
  data?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** Serves one port-forward connection until the client closes it. */
export async function servePortForward(pod: Stored<Pod>, conn: { req: IncomingMessage; socket: Duplex; head: Buffer }, ctx: PortForwardContext): Promise<void> {
  const { req, socket, head } = conn;
  parsePortsQuery(new URL(req.url ?? '/', 'http://localhost').searchParams);
  let transport: Duplex;
  let spdyHead: Buffer | undefined;
  if (isWebSocketRequest(req)) {
    const offered = offeredWebSocketProtocols(req);
    if (!offered.includes(PORT_FORWARD_WS_PROTOCOL)) {
      throw new UpgradeError(400, `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${PORT_FORWARD_WS_PROTOCOL}]`);
    }
    const problem = webSocketHandshakeProblem(req);
    if (problem) throw new UpgradeError(400, `unable to upgrade: ${problem}`);
    const ws = await acceptWebSocket(ctx.wss, ctx.wsProtocols, conn, PORT_FORWARD_WS_PROTOCOL);
    transport = webSocketDuplex(ws);
  } else {
    const problem = spdyUpgradeProblem(req);
    if (problem) throw new UpgradeError(400, problem);
    const protocol = negotiateStreamProtocol(req, [PORT_FORWARD_PROTOCOL]);
    answerSpdyUpgrade(socket, protocol);
    transport = socket;
    spdyHead = head;
  }
  await forwardStreams(pod, transport, { ...ctx, ...(spdyHead ? { head: spdyHead } : {}) });
}

/**
 * Runs the SPDY side of a port-forward connection over `transport` (exported for tests). Every
 * pod socket is destroyed when the connection closes.
 */
export async function forwardStreams(pod: Stored<Pod>, transport: Duplex, ctx: Omit<PortForwardContext, 'wss' | 'wsProtocols'> & { head?: Buffer }): Promise<void> {
  const pairs = new Map<string, Pair>();
  const sockets = new Set<Duplex>();
  const podName = `${pod.metadata.name}_${pod.metadata.namespace ?? ''}`;

  const complete = (p: Pair) => {
    clearTimeout(p.timer);
    pairs.delete(p.requestId);
    void forwardPair(p.error!, p.data!);
  };

  const forwardPair = async (error: SpdyStream, data: SpdyStream) => {
    const port = Number(data.header('port'));
    const fail = (why: string) => {
      ctx.log?.({ level: 'debug', msg: 'port-forward failed', pod: podName, port, error: why });
      if (!error.destroyed && !error.writableEnded) error.end(Buffer.from(`error forwarding port ${port} to pod ${podName}, uid ${pod.metadata.uid}: ${why}`));
      if (!data.destroyed && !data.writableEnded) data.end();
    };
    let sock: Duplex;
    try {
      sock = await ctx.streams.portForward(pod, port);
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
    if (!spdy.isOpen || data.destroyed) {
      sock.destroy();
      return;
    }
    sockets.add(sock);
    let podEnded = false;
    const cleanup = () => {
      sockets.delete(sock);
      if (!sock.destroyed) sock.destroy();
    };
    data.pipe(sock);
    sock.pipe(data);
    sock.on('error', (e: Error) => {
      // The pod side broke mid-stream: end both streams; the client's connection just closes.
      ctx.log?.({ level: 'debug', msg: 'port-forward pod socket error', pod: podName, port, error: e.message });
      if (!data.destroyed && !data.writableEnded) data.end();
      if (!error.destroyed && !error.writableEnded) error.end();
      cleanup();
    });
    sock.on('close', cleanup);
    // The pod closed its side: our FIN on the data stream (the pipe, registered first), then on
    // the (empty) error stream.
    sock.on('end', () => {
      podEnded = true;
      if (!error.destroyed && !error.writableEnded) error.end();
      if (data.readableEnded) cleanup();
    });
    // The client closed its side: pass the FIN on; both done → release the socket.
    data.on('end', () => {
      if (podEnded) cleanup();
    });
    // A reset (or the connection's end) tears the socket down.
    data.on('close', () => {
      if (!data.readableEnded || data.resetByPeer) cleanup();
    });
  };

  const spdy = new SpdyConnection(transport, {
    ...(ctx.head ? { head: ctx.head } : {}),
    ...(ctx.log ? { log: ctx.log } : {}),
    accept: (headers) => {
      const problem = streamHeadersProblem(headers);
      if (problem) ctx.log?.({ level: 'debug', msg: 'port-forward stream refused', error: problem });
      return problem === undefined;
    },
    onStream: (s) => {
      s.on('error', () => undefined);
      const type = s.header('streamtype') === 'error' ? 'error' : 'data';
      // Old clients send no requestid; the kubelet derives one from the stream ids.
      const requestId = s.header('requestid') ?? String(type === 'error' ? s.id : s.id - 2);
      let p = pairs.get(requestId);
      if (!p) {
        const pair: Pair = {
          requestId,
          timer: setTimeout(() => {
            pairs.delete(requestId);
            const msg = `(conn=${podName}, request=${requestId}) timed out waiting for streams`;
            if (pair.error && !pair.error.destroyed) pair.error.end(Buffer.from(msg));
            if (pair.data && !pair.data.destroyed) pair.data.end();
          }, ctx.streamCreationTimeoutMs),
        };
        pairs.set(requestId, pair);
        p = pair;
      }
      if (type === 'error') {
        // kubectl half-closes its error stream at once; nothing is ever read from it.
        s.resume();
        if (p.error) return s.end(Buffer.from(`error processing stream for request ${requestId}: error stream already assigned`));
        p.error = s;
      } else {
        if (p.data) return s.reset();
        p.data = s;
      }
      if (p.error && p.data) complete(p);
    },
  });

  await spdy.closed;
  for (const p of pairs.values()) clearTimeout(p.timer);
  pairs.clear();
  for (const s of sockets) s.destroy();
  sockets.clear();
}
