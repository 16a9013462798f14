// The node side of exec, attach and port-forward (the API server's ContainerStreams seam,
// src/apiserver/streams/types.ts): processes and sockets, no wire protocol.
import { connect } from 'node:net';
import { PassThrough, Writable, type Duplex, type Readable } from 'node:stream';
import type { AttachOptions, ContainerStreams, ExecOptions, StreamSession } from '../../apiserver/streams/index.js';
import type { Container, Pod, Stored } from '../../api/index.js';
import { RuntimeError, execInContainer, type ContainerHandle } from '../runtime/index.js';
import { execArgv } from './pods.js';

export interface StreamsHost {
  /** The running instance of a container of the pod (by UID), if any. */
  running(uid: string, container: string): ContainerHandle | undefined;
  /** The pod's IP on this node. */
  podIP(pod: Stored<Pod>): string | undefined;
}

function specOf(pod: Stored<Pod>, name: string): Container | undefined {
  return [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === name);
}

/** An output the client asked for but the process does not have: it ends at once. */
function ended(): Readable {
  const p = new PassThrough();
  p.end();
  return p;
}

/** Accepts and drops bytes (stdin the container does not read). */
function sink(): Writable {
  return new Writable({ write: (_c, _e, cb) => cb() });
}

/** The session of an exec that could not start: the client sees the error instead of an exit code. */
function failedSession(opts: ExecOptions, message: string): StreamSession {
  const exit = Promise.reject(new Error(message));
  exit.catch(() => undefined);
  const s: StreamSession = { exit, close: () => undefined };
  if (opts.stdin) s.stdin = sink();
  if (opts.stdout) s.stdout = ended();
  if (opts.stderr && !opts.tty) s.stderr = ended();
  return s;
}

export function containerStreams(host: StreamsHost): ContainerStreams {
  const handleFor = (pod: Stored<Pod>, container: string): ContainerHandle => {
    const h = host.running(pod.metadata.uid, container);
    if (!h) throw new Error(`container not found ("${container}")`);
    return h;
  };

  return {
    async exec(pod, opts) {
      const handle = handleFor(pod, opts.container);
      let session;
      try {
        session = await execInContainer(handle, execArgv(handle, opts.command), { tty: opts.tty, stdin: opts.stdin });
      } catch (e) {
        if (e instanceof RuntimeError) {
          return failedSession(opts, `failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: ${e.message.replace(/^Cannot exec in container "[^"]*": /, '')}: unknown`);
        }
        throw e;
      }
      // Output nobody reads must still flow, or it would pile up.
      if (!opts.stdout) session.stdout.resume();
      if (!opts.stderr) session.stderr?.resume();
      const s: StreamSession = {
        exit: session.exited.then((x) => ({ code: x.exitCode, ...(x.signal ? { signal: x.signal } : {}) })),
        close: () => void session.kill(),
      };
      if (opts.stdin) s.stdin = session.stdin ?? sink();
      if (opts.stdout) s.stdout = session.stdout;
      if (opts.stderr) s.stderr = session.stderr ?? ended();
      if (opts.tty) s.resize = (cols, rows) => session.resize(cols, rows);
      return s;
    },

    async attach(pod, opts: AttachOptions) {
      const handle = handleFor(pod, opts.container);
      const spec = specOf(pod, opts.container);
      const stdinOnce = spec?.stdinOnce === true;
      const a = handle.attach({ stdin: opts.stdin });
      let closedStdin = false;
      // stdinOnce: the container's stdin closes when the first attached client is done with it.
      const closeStdinOnce = (): void => {
        if (!stdinOnce || !opts.stdin || closedStdin) return;
        closedStdin = true;
        handle.closeStdin();
      };
      if (!opts.stdout) a.stdout.resume();
      if (!opts.stderr) a.stderr?.resume();
      let detached = false;
      const s: StreamSession = {
        // An attachment ends when the container's process does; its exit code is not the client's.
        exit: handle.exited.then(() => ({ code: 0 })),
        close: () => {
          if (detached) return;
          detached = true;
          a.detach();
          closeStdinOnce();
        },
      };
      if (opts.stdin) {
        const target = a.stdin;
        s.stdin = new Writable({
          write(chunk: Buffer, _enc, cb) {
            if (target) target.write(chunk);
            cb();
          },
          final(cb) {
            closeStdinOnce();
            cb();
          },
        });
      }
      if (opts.stdout) s.stdout = a.stdout;
      if (opts.stderr) s.stderr = a.stderr ?? ended();
      if (opts.tty) s.resize = (cols, rows) => a.resize(cols, rows);
      return s;
    },

    portForward(pod, port) {
      const ip = host.podIP(pod);
      if (!ip) return Promise.reject(new Error(`pod ${pod.metadata.name} has no IP on this node`));
      return new Promise<Duplex>((resolve, reject) => {
        const sock = connect({ host: ip, port });
        const failed = (e: NodeJS.ErrnoException): void => {
          reject(new Error(`error forwarding port ${port} to pod ${pod.metadata.name}, uid ${pod.metadata.uid}: failed to connect to ${ip}:${port}: ${e.code === 'ECONNREFUSED' ? 'connect: connection refused' : e.message}`));
        };
        sock.once('error', failed);
        sock.once('connect', () => {
          sock.off('error', failed);
          // The caller owns the socket now; a reset must not become an uncaught error.
          sock.on('error', () => undefined);
          resolve(sock);
        });
      });
    },
  };
}
