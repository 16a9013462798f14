// The seam between the API server's streaming endpoints and whoever runs the containers (the
// node agent). The API server speaks the wire protocols; the node agent only hands over
// processes and sockets through this interface.
import type { IncomingMessage } from 'node:http';
import type { Duplex, Readable, Writable } from 'node:stream';
import type { Pod, Stored } from '../../api/index.js';

export interface ExecOptions {
  /** Always set: the `container` query parameter, or the pod's only container. */
  container: string;
  /** argv, one element per `command=` parameter; never empty. */
  command: string[];
  /** Run on a terminal. With a tty there is no separate stderr. */
  tty: boolean;
  /** The client will send stdin; `StreamSession.stdin` must then be present. */
  stdin: boolean;
  /** The client reads stdout; `StreamSession.stdout` must then be present. */
  stdout: boolean;
  /** The client reads stderr (never with a tty); `StreamSession.stderr` must then be present. */
  stderr: boolean;
}

export type AttachOptions = Omit<ExecOptions, 'command'>;

/** How a process ended. `code` is the exit status, 128 + n when killed by signal n. */
export interface ExitStatus {
  code: number;
  signal?: string;
}

/**
 * One exec'd or attached process as seen by the client.
 *
 * - `stdout`/`stderr` carry everything the process writes and end when it exits (a tty's
 *   output is `stdout`). The handler keeps reading them after `exit` settles until they end, at
 *   most `drainTimeoutMs`, then sends the status.
 * - `stdin` receives the client's bytes; `end()` is called at the client's EOF (`kubectl exec
 *   -i` with a pipe). Write errors after the process exited are ignored.
 * - `resize` is called with every terminal size the client reports (tty only). For attach the
 *   client sends size+1 and then the real size, to force a redraw.
 * - `exit` resolves when the process exits (for attach: when the attachment ends, usually
 *   because the container's process exited). Rejecting it reports an error to the client
 *   (`Internal error occurred: error executing command in container: <message>`, or the
 *   StatusError's own Status) instead of an exit code.
 * - `close()` releases everything: for exec it kills the process if still running; for attach
 *   it detaches and leaves the container running. It is called exactly once, when the session
 *   ends normally or as soon as the client goes away, so nothing outlives the connection.
 */
export interface StreamSession {
  stdin?: Writable;
  stdout?: Readable;
  stderr?: Readable;
  resize?(cols: number, rows: number): void;
  exit: Promise<ExitStatus>;
  close(): void;
}

/**
 * What the node agent implements. The handler calls these before upgrading the connection, so
 * a rejection becomes an HTTP answer the client prints:
 * - a StatusError (api/errors.ts) is sent as its Status (kubectl: `Error from server (Reason): message`);
 * - any other Error is sent as text with code 500 (kubectl: `error: unable to upgrade
 *   connection: <message>`, e.g. `container not found ("app")`).
 * After a successful call the handler owns the session (it calls `close()`), or the socket.
 */
export interface ContainerStreams {
  exec(pod: Stored<Pod>, opts: ExecOptions): Promise<StreamSession>;
  attach(pod: Stored<Pod>, opts: AttachOptions): Promise<StreamSession>;
  /**
   * A connected socket to the pod's `port` (podIP:port). Each client connection through
   * `kubectl port-forward` gets its own call. The handler destroys the socket when the client's
   * connection or stream goes away.
   */
  portForward(pod: Stored<Pod>, port: number): Promise<Duplex>;
}

export interface PodStreamsHandlerOptions {
  /** How long to wait for the client to open its SPDY streams (default 30 s, as the kubelet). */
  streamCreationTimeoutMs?: number;
  /** After exit, how long to keep reading stdout/stderr before sending the status (default 5 s). */
  drainTimeoutMs?: number;
  /** After the status, how long to wait for the client to close the connection (default 10 s). */
  closeGraceMs?: number;
  log?: (line: Record<string, unknown>) => void;
}

/** The signature of `ApiServerHttpOptions.podStreams.upgrade`. */
export type PodUpgradeHandler = (
  kind: 'exec' | 'attach' | 'portforward',
  pod: Stored<Pod>,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
) => void;
