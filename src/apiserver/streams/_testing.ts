// Test support: a ContainerStreams backed by real local processes (child_process, or a real pty
// from node-pty for tty sessions) and real TCP sockets to 127.0.0.1, plus a kubectl harness on
// an in-process API server. Every pid started is recorded so tests can prove nothing leaked.
import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex, PassThrough, Writable } from 'node:stream';
import { spawn as spawnPty, type IPty } from 'node-pty';
import type { Pod, Stored } from '../../api/index.js';
import type { AttachOptions, ContainerStreams, ExecOptions, ExitStatus, PodUpgradeHandler, StreamSession } from './types.js';

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15, SIGPIPE: 13 };

export interface FakeCall {
  kind: 'exec' | 'attach' | 'portForward';
  container?: string;
  command?: string[];
  tty?: boolean;
  port?: number;
}

/**
 * Runs what the API server asks for as local processes. `attachCommand` is the "container's
 * main process" started at attach time (a real runtime would attach to a running one).
 */
export class ProcessStreams implements ContainerStreams {
  readonly calls: FakeCall[] = [];
  readonly pids = new Set<number>();
  readonly resizes: { cols: number; rows: number }[] = [];
  readonly closes: string[] = [];

  constructor(
    private readonly o: {
      containers: string[];
      /** pod port → local port on 127.0.0.1 */
      ports: Map<number, number>;
      attachCommand: (tty: boolean) => string[];
    },
  ) {}

  async exec(_pod: Stored<Pod>, opts: ExecOptions): Promise<StreamSession> {
    this.calls.push({ kind: 'exec', container: opts.container, command: opts.command, tty: opts.tty });
    this.checkContainer(opts.container);
    return this.start(opts.command, opts, 'exec');
  }

  async attach(_pod: Stored<Pod>, opts: AttachOptions): Promise<StreamSession> {
    this.calls.push({ kind: 'attach', container: opts.container, tty: opts.tty });
    this.checkContainer(opts.container);
    return this.start(this.o.attachCommand(opts.tty), opts, 'attach');
  }

  portForward(_pod: Stored<Pod>, port: number): Promise<Duplex> {
    this.calls.push({ kind: 'portForward', port });
    const target = this.o.ports.get(port) ?? port;
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port: target });
      s.once('connect', () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', (e: NodeJS.ErrnoException) => reject(new Error(`failed to connect to localhost:${port} inside namespace "fake": ${e.code ?? e.message}`)));
    });
  }

  /** Pids of processes that are still alive. */
  alive(): number[] {
    return [...this.pids].filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
  }

  /** Kills whatever is left (after hooks). */
  killAll(): void {
    for (const pid of this.alive()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private checkContainer(name: string): void {
    if (!this.o.containers.includes(name)) throw new Error(`container not found ("${name}")`);
  }

  private start(argv: string[], opts: AttachOptions, kind: string): StreamSession {
    const [file, ...args] = argv;
    if (file === undefined) throw new Error('no command');
    return opts.tty ? this.startPty(file, args, kind) : this.startChild(file, args, opts, kind);
  }

  private startChild(file: string, args: string[], opts: AttachOptions, kind: string): StreamSession {
    const child: ChildProcess = spawnChild(file, args, { stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) this.pids.add(child.pid);
    const exit = new Promise<ExitStatus>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(signal ? { code: 128 + (SIGNALS[signal] ?? 0), signal } : { code: code ?? 0 }));
    });
    const session: StreamSession = {
      exit,
      close: () => {
        this.closes.push(kind);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
    };
    if (opts.stdin && child.stdin) session.stdin = child.stdin;
    // Through a PassThrough: Node discards a child's unread stdout when it exits, and the session
    // may be read only after the client opened its streams.
    if (opts.stdout && child.stdout) session.stdout = child.stdout.pipe(new PassThrough());
    else child.stdout?.resume();
    if (opts.stderr && child.stderr) session.stderr = child.stderr.pipe(new PassThrough());
    else child.stderr?.resume();
    return session;
  }

  private startPty(file: string, args: string[], kind: string): StreamSession {
    const term: IPty = spawnPty(file, args, { name: 'xterm', cols: 80, rows: 24, cwd: tmpdir(), env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'xterm', PS1: '$ ' } });
    this.pids.add(term.pid);
    const stdout = new PassThrough();
    let exited = false;
    term.onData((d) => stdout.write(d));
    const exit = new Promise<ExitStatus>((resolve) => {
      term.onExit(({ exitCode, signal }) => {
        exited = true;
        // The pty may still hand over output after the exit event; end a moment later.
        setTimeout(() => stdout.end(), 50);
        resolve(signal ? { code: 128 + signal, signal: String(signal) } : { code: exitCode });
      });
    });
    const stdin = new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (!exited) term.write(chunk.toString('utf8'));
        cb();
      },
      final(cb) {
        if (!exited) term.write('\x04');
        cb();
      },
    });
    return {
      stdin,
      stdout,
      exit,
      resize: (cols, rows) => {
        this.resizes.push({ cols, rows });
        if (!exited && cols > 0 && rows > 0) term.resize(cols, rows);
      },
      close: () => {
        this.closes.push(kind);
        if (!exited) term.kill('SIGKILL');
      },
    };
  }
}

/** An HTTP/1.1 server on 127.0.0.1 that answers every request with its path; counts open sockets. */
export async function startEchoHttpServer(): Promise<{ server: Server; port: number; openSockets(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => sock.destroy());
    let buf = '';
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      // Bounded: each pass removes one complete request head.
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) break;
        const head = buf.slice(0, end);
        buf = buf.slice(end + 4);
        const path = head.split(' ')[1] ?? '/';
        const body = `hello from ${path}\n`;
        const close = /\r\nconnection: close/i.test(head);
        sock.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n${close ? 'Connection: close\r\n' : ''}\r\n${body}`);
        if (close) sock.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    server,
    port,
    openSockets: () => sockets.size,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const addr = s.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** A temp HOME with a kubeconfig for `server`; `cleanup` removes it. */
export function writeKubeconfig(o: { server: string; caCert: string; token: string }): { home: string; kubeconfig: string; cleanup(): void } {
  const home = mkdtempSync(join(tmpdir(), 'kubeloop-streams-home-'));
  const kubeconfig = join(home, 'kubeconfig');
  const ca = Buffer.from(o.caCert).toString('base64');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: kubeloop',
      '  cluster:',
      `    server: ${o.server}`,
      `    certificate-authority-data: ${ca}`,
      'users:',
      '- name: admin',
      '  user:',
      `    token: ${o.token}`,
      'contexts:',
      '- name: kubeloop',
      '  context:',
      '    cluster: kubeloop',
      '    user: admin',
      '    namespace: default',
      'current-context: kubeloop',
      '',
    ].join('\n'),
  );
  return { home, kubeconfig, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** Polls until `fn` is truthy (bounded). */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: { timeoutMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A session the test drives by hand: it writes the process's output and decides its exit. */
export interface ScriptedSession {
  readonly opts: ExecOptions | AttachOptions;
  /** What the client sent to the process's stdin (ends at the client's EOF). */
  readonly stdin: PassThrough;
  readonly stdout: PassThrough;
  readonly stderr: PassThrough;
  readonly resizes: { cols: number; rows: number }[];
  readonly session: StreamSession;
  /** Ends stdout/stderr and resolves `exit`. */
  exit(code: number): void;
  /** Resolves `exit` but leaves stdout/stderr open (a grandchild still holds them). */
  exitKeepingOutput(code: number): void;
  fail(err: Error): void;
  closeCalls: number;
}

/** ContainerStreams whose sessions are scripted by the test; `refuse` makes the next call fail. */
export class ScriptedStreams implements ContainerStreams {
  readonly sessions: ScriptedSession[] = [];
  refuse: Error | undefined;
  readonly forwards: number[] = [];
  /** pod port → local port for portForward. */
  readonly ports = new Map<number, number>();
  private waiters: ((s: ScriptedSession) => void)[] = [];

  async exec(_pod: Stored<Pod>, opts: ExecOptions): Promise<StreamSession> {
    return this.make(opts);
  }

  async attach(_pod: Stored<Pod>, opts: AttachOptions): Promise<StreamSession> {
    return this.make(opts);
  }

  portForward(pod: Stored<Pod>, port: number): Promise<Duplex> {
    this.forwards.push(port);
    return new ProcessStreams({ containers: [], ports: this.ports, attachCommand: () => [] }).portForward(pod, port);
  }

  /** Resolves with the next session created (call before the client connects). */
  next(): Promise<ScriptedSession> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private make(opts: ExecOptions | AttachOptions): StreamSession {
    if (this.refuse) {
      const e = this.refuse;
      this.refuse = undefined;
      throw e;
    }
    let resolveExit!: (x: ExitStatus) => void;
    let rejectExit!: (e: Error) => void;
    const exit = new Promise<ExitStatus>((res, rej) => {
      resolveExit = res;
      rejectExit = rej;
    });
    exit.catch(() => undefined);
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const resizes: { cols: number; rows: number }[] = [];
    const session: StreamSession = { exit, close: () => void s.closeCalls++, resize: (cols, rows) => void resizes.push({ cols, rows }) };
    if (opts.stdin) session.stdin = stdin;
    if (opts.stdout) session.stdout = stdout;
    if (opts.stderr) session.stderr = stderr;
    const s: ScriptedSession = {
      opts,
      stdin,
      stdout,
      stderr,
      resizes,
      session,
      closeCalls: 0,
      exit: (code) => {
        stdout.end();
        stderr.end();
        resolveExit({ code });
      },
      exitKeepingOutput: (code) => resolveExit({ code }),
      fail: (err) => {
        stdout.end();
        stderr.end();
        rejectExit(err);
      },
    };
    this.sessions.push(s);
    for (const w of this.waiters.splice(0)) w(s);
    return session;
  }
}

/**
 * A plain-HTTP server on 127.0.0.1 that hands every upgrade to `handler` the way the API server
 * does (kind from the path, the given pod), for protocol tests without TLS or kubectl.
 */
export async function startUpgradeServer(handler: PodUpgradeHandler, pod: Stored<Pod>): Promise<{ port: number; close(): Promise<void> }> {
  const server = createHttpServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const sockets = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const m = /\/pods\/[^/]+\/(exec|attach|portforward)/.exec(req.url ?? '');
    if (!m) return socket.destroy();
    handler(m[1] as 'exec' | 'attach' | 'portforward', pod, req, socket, head);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function storedPod(name = 'p', containers: string[] = ['app']): Stored<Pod> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: 'uid-1', resourceVersion: '1', creationTimestamp: '2026-11-01T00:00:00Z' },
    spec: { containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
  };
}

/**
 * A minimal WebSocket client on a raw socket, for the port-forward tunnel: `ws` (client and
 * server) refuses `SPDY/3.1+portforward.k8s.io` as a sub-protocol token, kubectl does not. The
 * returned Duplex carries bytes; each write is cut into binary messages of the sizes in `cuts`
 * (repeated), the way kubectl's tunnel cut one SYN_STREAM into 2,2,4,4,4,1,1,52 bytes.
 */
export async function rawWebSocketClient(o: { port: number; path: string; protocol: string; cuts?: number[] }): Promise<{ stream: Duplex; responseHead: string; closeCode: Promise<number | undefined> }> {
  const socket = connect({ host: '127.0.0.1', port: o.port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const key = randomBytes(16).toString('base64');
  socket.write(
    `GET ${o.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Protocol: ${o.protocol}\r\n\r\n`,
  );
  let buf: Buffer = Buffer.alloc(0);
  const headEnd = await new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const i = buf.indexOf('\r\n\r\n');
      if (i < 0) return;
      socket.off('data', onData);
      resolve(i);
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error(`connection closed during the handshake: ${buf.toString()}`)));
  });
  const responseHead = buf.subarray(0, headEnd).toString();
  let pending: Buffer = buf.subarray(headEnd + 4);
  const mask = (opcode: number, payload: Buffer): Buffer => {
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x80 | opcode, 0x80 | len]) : len < 65536 ? Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 0xff]) : Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | 127, 0, 0, 0, 0]), u32(len)]);
    const key = randomBytes(4);
    const body = Buffer.from(payload);
    for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
    return Buffer.concat([head, key, body]);
  };
  let resolveClose!: (c: number | undefined) => void;
  const closeCode = new Promise<number | undefined>((r) => (resolveClose = r));
  const cuts = o.cuts && o.cuts.length > 0 ? o.cuts : [Number.MAX_SAFE_INTEGER];
  let cutIndex = 0;
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      // Bounded: each message takes at least one byte.
      for (let off = 0; off < chunk.length; ) {
        const n = Math.max(1, cuts[cutIndex++ % cuts.length]!);
        socket.write(mask(2, chunk.subarray(off, off + n)));
        off += n;
      }
      cb();
    },
    final(cb) {
      socket.write(mask(8, Buffer.from([0x03, 0xe8])));
      cb();
    },
    destroy(err, cb) {
      socket.destroy();
      cb(err);
    },
  });
  const parse = () => {
    // Each pass consumes one whole frame.
    for (;;) {
      if (pending.length < 2) return;
      const opcode = pending[0]! & 0x0f;
      let len = pending[1]! & 0x7f;
      let off = 2;
      if (len === 126) {
        if (pending.length < 4) return;
        len = pending.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (pending.length < 10) return;
        len = Number(pending.readBigUInt64BE(2));
        off = 10;
      }
      if (pending.length < off + len) return;
      const payload = pending.subarray(off, off + len);
      pending = pending.subarray(off + len);
      if (opcode === 2 || opcode === 0) stream.push(payload);
      else if (opcode === 9) socket.write(mask(10, payload));
      else if (opcode === 8) {
        resolveClose(payload.length >= 2 ? payload.readUInt16BE(0) : undefined);
        stream.push(null);
        socket.end();
      }
    }
  };
  socket.on('data', (d: Buffer) => {
    pending = Buffer.concat([pending, d]);
    parse();
  });
  socket.on('close', () => {
    resolveClose(undefined);
    stream.push(null);
    stream.destroy();
  });
  socket.on('error', () => socket.destroy());
  parse();
  return { stream, responseHead, closeCode };
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
