// streams/: the API server's streaming subresources — pods/exec and pods/attach (WebSocket
// channel protocols v5…v1, SPDY remotecommand v5…v2) and pods/portforward (SPDY/3.1 tunnelled in
// WebSocket, or raw). The containers' side comes from a `ContainerStreams` (the node agent).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Pod, Stored } from '../../api/index.js';
import { answerError } from './_http.js';
import { servePortForward } from './portforward.js';
import { serveRemoteCommand } from './remotecommand.js';
import type { ContainerStreams, PodStreamsHandlerOptions, PodUpgradeHandler } from './types.js';

export type { AttachOptions, ContainerStreams, ExecOptions, ExitStatus, PodStreamsHandlerOptions, PodUpgradeHandler, StreamSession } from './types.js';
export { CHANNEL_PROTOCOLS } from './wsv5.js';
export { SPDY_COMMAND_PROTOCOLS } from './remotecommand.js';
export { PORT_FORWARD_PROTOCOL, PORT_FORWARD_WS_PROTOCOL } from './portforward.js';

/** Largest WebSocket message accepted (kubectl sends at most 32 KiB of stdin per message). */
const MAX_WS_MESSAGE = 16 * 1024 * 1024;

/**
 * The `upgrade` function of `ApiServerHttpOptions.podStreams`: called after authentication and
 * after the pod was read. It never throws; failures before the upgrade are answered over HTTP.
 */
export function createPodStreamsHandler(streams: ContainerStreams, opts: PodStreamsHandlerOptions = {}): PodUpgradeHandler {
  const wsProtocols = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: MAX_WS_MESSAGE,
    handleProtocols: (_offered, req) => wsProtocols.get(req) ?? false,
  });
  const ctx = {
    streams,
    wss,
    wsProtocols,
    streamCreationTimeoutMs: opts.streamCreationTimeoutMs ?? 30_000,
    drainTimeoutMs: opts.drainTimeoutMs ?? 5_000,
    closeGraceMs: opts.closeGraceMs ?? 10_000,
    ...(opts.log ? { log: opts.log } : {}),
  };
  return (kind: 'exec' | 'attach' | 'portforward', pod: Stored<Pod>, req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const conn = { req, socket, head };
    const served = kind === 'portforward' ? servePortForward(pod, conn, ctx) : serveRemoteCommand(kind, pod, conn, ctx);
    served.catch((e: unknown) => {
      opts.log?.({ level: 'debug', msg: `${kind} refused`, pod: `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`, error: e instanceof Error ? e.message : String(e) });
      answerError(socket, e);
    });
  };
}
