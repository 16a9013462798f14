// exec and attach: from the upgrade request to the end of the session.
//
// 1. Read the options from the query (repeated `command=`, `container=`, `stdin|stdout|stderr|tty=true`)
//    and check them against the pod, as the API server does before proxying to a kubelet.
// 2. Decide the transport before anything starts: WebSocket with a channel protocol (wsv5.ts),
//    or SPDY/3.1 with an `X-Stream-Protocol-Version` (v5…v2). Doomed upgrades fail as HTTP errors.
// 3. Ask the node agent for the session (exec/attach); its rejection is also an HTTP error.
// 4. Upgrade, wire the session to the transport, wait for the exit, drain the output, write the
//    status on the error channel (`NonZeroExitCode` with cause `ExitCode` for exec; always
//    `Success` for attach, so `kubectl run -it --rm` does not fall back to logs) and close.
// A client that goes away at any point gets its session closed at once.
import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable, Writable } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { badRequest, internalError, isStatusError, type Pod, type Stored } from '../../api/index.js';
import {
  answerSpdyUpgrade,
  isWebSocketRequest,
  negotiateStreamProtocol,
  offeredWebSocketProtocols,
  queryBool,
  spdyUpgradeProblem,
  UpgradeError,
  webSocketHandshakeProblem,
} from './_http.js';
import { acceptWebSocket } from './_websocket.js';
import { ResizeDecoder, type CommandStatus, type CommandTransport, type TerminalSize } from './_transport.js';
import { SpdyConnection, type SpdyStream } from './spdy/connection.js';
import type { AttachOptions, ContainerStreams, ExecOptions, ExitStatus, StreamSession } from './types.js';
import { CHANNEL_PROTOCOLS, selectChannelProtocol, WsCommandTransport, type ChannelProtocol } from './wsv5.js';

/** SPDY remotecommand versions we speak, in our order of preference (the client's order wins). */
export const SPDY_COMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io'] as const;
type SpdyCommandProtocol = (typeof SPDY_COMMAND_PROTOCOLS)[number];

export const NON_ZERO_EXIT_CODE = 'NonZeroExitCode';
export const EXIT_CODE_CAUSE = 'ExitCode';

export interface RemoteCommandContext {
  streams: ContainerStreams;
  wss: WebSocketServer;
  /** The sub-protocol chosen for each request, read by the server's `handleProtocols`. */
  wsProtocols: WeakMap<IncomingMessage, string>;
  streamCreationTimeoutMs: number;
  drainTimeoutMs: number;
  closeGraceMs: number;
  log?: (line: Record<string, unknown>) => void;
}

export type CommandKind = 'exec' | 'attach';
export type CommandOptions = ExecOptions;

// --------------------------------------------------------------------------------- options

function containerNames(pod: Stored<Pod>): { main: string[]; init: string[] } {
  return { main: pod.spec.containers.map((c) => c.name), init: (pod.spec.initContainers ?? []).map((c) => c.name) };
}

/** The container to use, as pod/strategy.go resolves it (errors are BadRequest, upstream text). */
export function resolveContainer(pod: Stored<Pod>, requested: string): string {
  const name = pod.metadata.name;
  const { main, init } = containerNames(pod);
  if (requested === '') {
    if (main.length === 1) return main[0]!;
    if (main.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    let msg = `a container name must be specified for pod ${name}, choose one of: [${main.join(' ')}]`;
    if (init.length > 0) msg += ` or one of the init containers: [${init.join(' ')}]`;
    throw badRequest(msg);
  }
  if (!main.includes(requested) && !init.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

/** Reads the query kubectl sends; `command` is empty for attach. */
export function parseCommandOptions(kind: CommandKind, pod: Stored<Pod>, q: URLSearchParams): CommandOptions {
  const tty = queryBool(q, 'tty');
  const stdin = queryBool(q, 'stdin');
  const stdout = queryBool(q, 'stdout');
  // With a terminal there is no separate stderr (the kubelet drops it too).
  const stderr = queryBool(q, 'stderr') && !tty;
  if (!stdin && !stdout && !stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  const command = kind === 'exec' ? q.getAll('command') : [];
  if (kind === 'exec' && command.length === 0) throw badRequest('you must specify at least one command for the container');
  const container = resolveContainer(pod, q.get('container') ?? '');
  return { container, command, tty, stdin, stdout, stderr };
}

// --------------------------------------------------------------------------------- statuses

const SUCCESS: CommandStatus = { metadata: {}, status: 'Success' };

/** The kubelet's status for a non-zero exit; kubectl prints `command terminated with exit code N`. */
export function nonZeroExitStatus(command: readonly string[], code: number): CommandStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: NON_ZERO_EXIT_CODE,
    details: { causes: [{ reason: EXIT_CODE_CAUSE, message: String(code) }] },
  };
}

/** A StatusError keeps its Status; anything else is an InternalError with `prefix: message`. */
export function errorStatus(err: unknown, prefix: string): CommandStatus {
  const s = isStatusError(err) ? err.status : internalError(new Error(`${prefix}: ${err instanceof Error ? err.message : String(err)}`)).status;
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = s;
  return { ...rest, metadata: {} };
}

export function finalStatus(kind: CommandKind, command: readonly string[], outcome: { exit: ExitStatus } | { error: unknown }): CommandStatus {
  if ('error' in outcome) return errorStatus(outcome.error, kind === 'exec' ? 'error executing command in container' : 'error attaching to container');
  // Attach reports success whatever the exit code: kubectl would otherwise print a warning and
  // fall back to streaming logs (reference §6.1). The pod's status carries the exit code.
  if (kind === 'attach' || outcome.exit.code === 0) return SUCCESS;
  return nonZeroExitStatus(command, outcome.exit.code);
}

// --------------------------------------------------------------------------------- serving

type Plan = { transport: 'websocket'; protocol: ChannelProtocol } | { transport: 'spdy'; protocol: SpdyCommandProtocol };

function planUpgrade(req: IncomingMessage): Plan {
  if (isWebSocketRequest(req)) {
    const offered = offeredWebSocketProtocols(req);
    const protocol = selectChannelProtocol(offered);
    if (protocol === undefined) {
      throw new UpgradeError(400, `requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${CHANNEL_PROTOCOLS.join(' ')}]`);
    }
    const problem = webSocketHandshakeProblem(req);
    if (problem) throw new UpgradeError(400, `unable to upgrade: ${problem}`);
    return { transport: 'websocket', protocol };
  }
  const problem = spdyUpgradeProblem(req);
  if (problem) throw new UpgradeError(400, problem);
  return { transport: 'spdy', protocol: negotiateStreamProtocol(req, SPDY_COMMAND_PROTOCOLS) as SpdyCommandProtocol };
}

/**
 * Serves one exec/attach upgrade. Throws (before the upgrade) the errors to answer over HTTP;
 * once the session exists it settles only after the session was closed.
 */
export async function serveRemoteCommand(
  kind: CommandKind,
  pod: Stored<Pod>,
  conn: { req: IncomingMessage; socket: Duplex; head: Buffer },
  ctx: RemoteCommandContext,
): Promise<void> {
  const { req, socket } = conn;
  const url = new URL(req.url ?? '/', 'http://localhost');
  const opts = parseCommandOptions(kind, pod, url.searchParams);
  const plan = planUpgrade(req);
  const session = kind === 'exec' ? await ctx.streams.exec(pod, opts) : await ctx.streams.attach(pod, attachOptions(opts));
  // From here on the session is ours to close, whatever happens.
  let transport: CommandTransport;
  try {
    if (socket.destroyed) throw new Error('client went away before the upgrade');
    transport =
      plan.transport === 'websocket'
        ? new WsCommandTransport(await acceptWebSocket(ctx.wss, ctx.wsProtocols, conn, plan.protocol), plan.protocol, { ...opts, closeGraceMs: ctx.closeGraceMs, ...(ctx.log ? { log: ctx.log } : {}) })
        : await acceptSpdy(conn, plan.protocol, opts, ctx);
  } catch (e) {
    closeQuietly(session, ctx);
    socket.destroy();
    ctx.log?.({ level: 'debug', msg: `${kind} upgrade failed`, pod: `${pod.metadata.namespace}/${pod.metadata.name}`, error: String(e) });
    return;
  }
  await runSession(kind, opts, session, transport, ctx);
}

function attachOptions(o: CommandOptions): AttachOptions {
  return { container: o.container, tty: o.tty, stdin: o.stdin, stdout: o.stdout, stderr: o.stderr };
}

function closeQuietly(session: StreamSession, ctx: RemoteCommandContext): void {
  try {
    session.close();
  } catch (e) {
    ctx.log?.({ level: 'warn', msg: 'closing a stream session failed', error: String(e) });
  }
}

/** Copies a session output to a client channel; resolves when the channel got everything. */
function pipeOutput(src: Readable | undefined, dst: Writable | undefined): { done: Promise<void>; stop(): void } {
  if (!src || !dst) {
    src?.resume(); // nobody reads it: discard rather than let the process block
    dst?.end();
    return { done: Promise.resolve(), stop: () => undefined };
  }
  const done = new Promise<void>((resolve) => {
    dst.once('finish', resolve);
    dst.once('close', resolve);
    dst.once('error', () => resolve());
    src.once('error', () => dst.end());
    src.once('close', () => {
      if (!src.readableEnded) dst.end();
    });
  });
  src.pipe(dst);
  return {
    done,
    stop: () => {
      src.unpipe(dst);
      if (!dst.writableEnded) dst.end();
    },
  };
}

function delay(ms: number): { promise: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Runs an upgraded session to its end. Exported for tests that drive a transport directly. */
export async function runSession(kind: CommandKind, opts: CommandOptions, session: StreamSession, t: CommandTransport, ctx: Pick<RemoteCommandContext, 'drainTimeoutMs' | 'log'>): Promise<void> {
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    try {
      session.close();
    } catch (e) {
      ctx.log?.({ level: 'warn', msg: 'closing a stream session failed', error: String(e) });
    }
  };
  // The client going away ends the session at once (no leaked process).
  let gone = false;
  void t.closed.then(() => {
    gone = true;
    close();
  });

  if (t.stdin && session.stdin) {
    // After the process exits its stdin may fail with EPIPE; nothing is left to tell.
    session.stdin.on('error', () => undefined);
    t.stdin.pipe(session.stdin);
  } else {
    t.stdin?.resume();
  }
  t.onResize((size: TerminalSize) => {
    try {
      session.resize?.(size.width, size.height);
    } catch (e) {
      ctx.log?.({ level: 'debug', msg: 'resize failed', error: String(e) });
    }
  });
  const outputs = [pipeOutput(session.stdout, t.stdout), pipeOutput(session.stderr, t.stderr)];

  const outcome = await Promise.race([
    session.exit.then(
      (exit) => ({ exit }),
      (error: unknown) => ({ error }),
    ),
    t.closed.then(() => 'gone' as const),
  ]);
  if (outcome === 'gone' || gone) {
    for (const o of outputs) o.stop();
    close();
    return;
  }
  // The process is gone; what it wrote may still be in flight. Bounded by drainTimeoutMs.
  const drain = delay(ctx.drainTimeoutMs);
  await Promise.race([Promise.all(outputs.map((o) => o.done)), drain.promise, t.closed]);
  drain.cancel();
  for (const o of outputs) o.stop();
  if (!gone) {
    await t.writeStatus(finalStatus(kind, opts.command, outcome));
  }
  close();
  await t.finish();
}

// --------------------------------------------------------------------------------- SPDY

const STREAM_TYPES = ['error', 'stdin', 'stdout', 'stderr', 'resize'] as const;
type StreamType = (typeof STREAM_TYPES)[number];

function expectedStreams(protocol: SpdyCommandProtocol, o: CommandOptions): Set<StreamType> {
  const want = new Set<StreamType>(['error']);
  if (o.stdin) want.add('stdin');
  if (o.stdout) want.add('stdout');
  if (o.stderr) want.add('stderr');
  // v2 predates terminal resizing.
  if (o.tty && protocol !== 'v2.channel.k8s.io') want.add('resize');
  return want;
}

/**
 * Answers 101 and waits for the client's streams (kubectl opens error, stdin, stdout, stderr,
 * resize — each waits for our reply). Gives up after streamCreationTimeoutMs, as the kubelet.
 */
function acceptSpdy(conn: { socket: Duplex; head: Buffer }, protocol: SpdyCommandProtocol, o: CommandOptions, ctx: RemoteCommandContext): Promise<SpdyCommandTransport> {
  const want = expectedStreams(protocol, o);
  const got = new Map<StreamType, SpdyStream>();
  answerSpdyUpgrade(conn.socket, protocol);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        spdy.destroy();
        reject(err);
      } else {
        resolve(new SpdyCommandTransport(spdy, got, protocol, ctx.closeGraceMs));
      }
    };
    const spdy = new SpdyConnection(conn.socket, {
      head: conn.head,
      maxStreams: 8,
      ...(ctx.log ? { log: ctx.log } : {}),
      onStream: (s) => {
        const type = s.header('streamtype') as StreamType | undefined;
        if (settled || type === undefined || !want.has(type) || got.has(type)) {
          ctx.log?.({ level: 'debug', msg: 'unexpected remotecommand stream', streamType: type ?? '' });
          s.resume();
          return;
        }
        got.set(type, s);
        if (got.size === want.size) settle();
      },
    });
    const timer = setTimeout(() => settle(new Error('timed out waiting for client to create streams')), ctx.streamCreationTimeoutMs);
    void spdy.closed.then(() => settle(new Error('connection closed before the client created its streams')));
  });
}

class SpdyCommandTransport implements CommandTransport {
  readonly stdin: Readable | undefined;
  readonly stdout: Writable | undefined;
  readonly stderr: Writable | undefined;
  readonly closed: Promise<void>;
  private readonly error: SpdyStream;
  private readonly resizeStream: SpdyStream | undefined;
  private readonly resizeListeners: ((s: TerminalSize) => void)[] = [];

  constructor(
    private readonly conn: SpdyConnection,
    private readonly streams: Map<StreamType, SpdyStream>,
    private readonly protocol: SpdyCommandProtocol,
    private readonly closeGraceMs: number,
  ) {
    this.closed = conn.closed;
    this.error = streams.get('error')!;
    this.stdin = streams.get('stdin');
    this.stdout = streams.get('stdout');
    this.stderr = streams.get('stderr');
    this.resizeStream = streams.get('resize');
    for (const s of streams.values()) s.on('error', () => undefined);
    // The client never writes on the error stream; read it so its FIN is seen.
    this.error.resume();
    const decoder = new ResizeDecoder();
    this.resizeStream?.on('data', (chunk: Buffer) => {
      for (const size of decoder.push(chunk)) for (const l of this.resizeListeners) l(size);
    });
  }

  onResize(listener: (size: TerminalSize) => void): void {
    this.resizeListeners.push(listener);
  }

  writeStatus(status: CommandStatus): Promise<void> {
    const json = this.protocol === 'v5.channel.k8s.io' || this.protocol === 'v4.channel.k8s.io';
    // v2/v3 carry only a failure's message, as text; an empty error stream means success.
    const body = json ? JSON.stringify(status) : status.status === 'Success' ? '' : (status.message ?? 'error');
    return new Promise((resolve) => {
      if (this.error.destroyed) return resolve();
      if (body === '') this.error.end(resolve);
      else this.error.end(Buffer.from(body), resolve);
    });
  }

  async finish(): Promise<void> {
    // Half-close every stream we hold (the client waits for stdout/stderr EOF, then reads the
    // error stream to its end). kubectl closes the connection once it read everything; we do
    // not close first, because spdystream drops frames still queued when the socket ends.
    for (const s of this.streams.values()) if (!s.destroyed && !s.writableEnded) s.end();
    const grace = delay(this.closeGraceMs);
    await Promise.race([this.conn.closed, grace.promise]);
    grace.cancel();
    this.conn.destroy();
  }

  destroy(): void {
    this.conn.destroy();
  }
}
