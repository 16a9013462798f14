// One interface over a process started with pipes (child_process) or a terminal (node-pty).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Command } from './_chain.js';

export type OutputStream = 'stdout' | 'stderr';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  readonly pid: number;
  readonly tty: boolean;
  onOutput(cb: (stream: OutputStream, data: Buffer) => void): void;
  /** Called as soon as the process itself has exited, before its output is drained. */
  onProcessExit(cb: () => void): void;
  /** Settles once the process has exited and its output is drained (or `drainMs` passed). */
  readonly exited: Promise<ChildExit>;
  write(data: Buffer | string): void;
  /** End of input: closes the pipe, or sends EOT (Ctrl-D) to a terminal. */
  endInput(): void;
  resize(cols: number, rows: number): void;
}

export interface SpawnOptions {
  env: Record<string, string>;
  cwd: string;
  tty: boolean;
  stdin: boolean;
  /** New process group (process-group mode); node-pty always makes a new session. */
  detached: boolean;
  cols?: number;
  rows?: number;
  /** How long to wait for output to drain after the process exits. */
  drainMs: number;
}

type PtyModule = typeof import('node-pty');
let ptyModule: PtyModule | undefined;

function loadPty(): PtyModule {
  if (!ptyModule) {
    try {
      ptyModule = createRequire(import.meta.url)('node-pty') as PtyModule;
    } catch (err) {
      throw new Error(`Cannot allocate a terminal: node-pty failed to load: ${(err as Error).message}`);
    }
  }
  return ptyModule;
}

const SIGNAL_NAMES: Record<number, NodeJS.Signals> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL',
  10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM',
};

export function signalName(n: number): NodeJS.Signals | null {
  return SIGNAL_NAMES[n] ?? null;
}

export function spawnChild(cmd: Command, options: SpawnOptions): Child {
  return options.tty ? spawnPty(cmd, options) : spawnPiped(cmd, options);
}

function spawnPiped(cmd: Command, options: SpawnOptions): Child {
  const proc = spawn(cmd.file, cmd.args, {
    env: options.env,
    cwd: options.cwd,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    detached: options.detached,
  });
  const listeners: Array<(s: OutputStream, d: Buffer) => void> = [];
  proc.stdout?.on('data', (d: Buffer) => listeners.forEach((l) => l('stdout', d)));
  proc.stderr?.on('data', (d: Buffer) => listeners.forEach((l) => l('stderr', d)));
  proc.stdin?.on('error', () => undefined);
  const exitListeners: Array<() => void> = [];
  const exited = new Promise<ChildExit>((resolve) => {
    let exit: ChildExit | undefined;
    let timer: NodeJS.Timeout | undefined;
    proc.once('error', () => resolve({ code: 127, signal: null }));
    proc.once('exit', (code, signal) => {
      exit = { code, signal };
      exitListeners.forEach((l) => l());
      // Output can still be in flight; a process that left a background child holding the pipes
      // must not keep us waiting forever.
      timer = setTimeout(() => {
        proc.stdout?.destroy();
        proc.stderr?.destroy();
        resolve({ code, signal });
      }, options.drainMs);
    });
    proc.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve(exit ?? { code, signal });
    });
  });
  return {
    pid: proc.pid ?? -1,
    tty: false,
    onOutput: (cb) => listeners.push(cb),
    onProcessExit: (cb) => exitListeners.push(cb),
    exited,
    write: (data) => {
      if (proc.stdin && !proc.stdin.destroyed && proc.stdin.writable) proc.stdin.write(data);
    },
    endInput: () => proc.stdin?.end(),
    resize: () => undefined,
  };
}

function spawnPty(cmd: Command, options: SpawnOptions): Child {
  const pty = loadPty();
  const term = pty.spawn(cmd.file, cmd.args, {
    name: options.env['TERM'] ?? 'xterm',
    cols: options.cols && options.cols > 0 ? options.cols : 80,
    rows: options.rows && options.rows > 0 ? options.rows : 24,
    cwd: options.cwd,
    env: options.env,
    encoding: null,
  });
  const listeners: Array<(s: OutputStream, d: Buffer) => void> = [];
  term.onData((d: string | Buffer) => {
    const b = typeof d === 'string' ? Buffer.from(d) : d;
    listeners.forEach((l) => l('stdout', b));
  });
  const exited = new Promise<ChildExit>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      resolve({ code: signal ? null : exitCode, signal: signal ? signalName(signal) : null });
    });
  });
  let open = true;
  void exited.then(() => (open = false));
  return {
    pid: term.pid,
    tty: true,
    onOutput: (cb) => listeners.push(cb),
    onProcessExit: (cb) => void exited.then(cb),
    exited,
    write: (data) => {
      if (open) term.write(data);
    },
    endInput: () => {
      if (open) term.write('\x04');
    },
    resize: (cols, rows) => {
      if (open && cols > 0 && rows > 0) term.resize(cols, rows);
    },
  };
}
