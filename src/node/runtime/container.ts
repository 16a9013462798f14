// Container processes: start one in a pod sandbox, log its output, attach to it, signal it,
// stop it gracefully. The guarantees per mode are in README.md.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { spawn } from 'node:child_process';
import { namespacedContainerCommand, plainCommand, watchdogCommand, type Command } from './_chain.js';
import { spawnChild, type Child, type ChildExit } from './_child.js';
import { DEFAULT_PATH, findExecutable } from './_exec-path.js';
import { containerInternals } from './_internals.js';
import { OutputHub } from './_output.js';
import { childrenOf, isAlive, namespaceOf, processesInNamespace, signalPid } from './_proc.js';
import { systemClock, type Clock } from './clock.js';
import { RuntimeError } from './errors.js';
import { openLogWriter, type LogWriterOptions } from './log-writer.js';
import type { PodSandbox, SandboxMember } from './sandbox.js';

export interface TerminalSize {
  cols: number;
  rows: number;
}

export interface StartContainerOptions {
  /** Container name (for messages and diagnostics file names). */
  name: string;
  /** What to run, already resolved (see images' containerArgv); argv[0] is looked up in PATH. */
  argv: readonly string[];
  /** The container's environment. The sandbox's HOSTNAME, a default PATH and HOME come first. */
  env?: Readonly<Record<string, string>>;
  /** Working directory; default `/`. Must exist. */
  cwd?: string;
  /** Run on a terminal (node-pty); stdout and stderr are then one stream. */
  tty?: boolean;
  /** Keep stdin open for writeStdin/attach; otherwise it is /dev/null (or an idle terminal). */
  stdin?: boolean;
  /**
   * Give the first attach the output written before it (up to 1 MiB), as `kubectl run -i`
   * expects of a `stdinOnce` container; the log file gets everything at once either way.
   */
  holdOutputForFirstAttach?: boolean;
  terminalSize?: TerminalSize;
  /** This instance's CRI log file (see containerLogPath). */
  logPath: string;
  log?: Omit<LogWriterOptions, 'clock'>;
  clock?: Clock;
}

export interface ContainerExit {
  /** The exit status; 128 + n when the process was killed by signal n (as Kubernetes reports). */
  exitCode: number;
  signal: NodeJS.Signals | undefined;
  /** Kubernetes' terminated reason. */
  reason: 'Completed' | 'Error';
  finishedAt: Date;
  /** The runtime's own diagnostics, if it wrote any (a namespace it could not enter, ...). */
  message: string | undefined;
}

export interface AttachSession {
  /** Output from the moment of attaching; ends when the container ends or on detach(). */
  stdout: Readable;
  /** undefined with a terminal (stderr is merged into stdout). */
  stderr: Readable | undefined;
  /** Writes to the container's stdin (only when the container has `stdin: true`); end() is ignored. */
  stdin: Writable | undefined;
  resize(cols: number, rows: number): void;
  detach(): void;
}

export interface StopOptions {
  /** Time between the stop signal and SIGKILL. */
  gracePeriodMs: number;
  /** Default SIGTERM. */
  signal?: NodeJS.Signals;
  /**
   * `main` (default, as Kubernetes): the stop signal goes to the main process only.
   * `all`: to every process of the container. SIGKILL always reaches all of them.
   */
  scope?: 'main' | 'all';
}

export interface ContainerHandle {
  readonly name: string;
  readonly sandbox: PodSandbox;
  /** Host pid of the main process (PID 1 of the container's PID namespace in namespaces mode). */
  readonly pid: number;
  readonly tty: boolean;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly startedAt: Date;
  readonly logPath: string;
  readonly running: boolean;
  /**
   * Settles once the main process ended, every other process of the container was killed, and
   * the log is flushed.
   */
  readonly exited: Promise<ContainerExit>;
  attach(options?: { stdin?: boolean }): AttachSession;
  writeStdin(data: Buffer | string): void;
  /** EOF on stdin (kubelet's stdinOnce); with a terminal, sends Ctrl-D. */
  closeStdin(): void;
  resize(cols: number, rows: number): void;
  /** Sends `signal` to the main process; false if it is gone. */
  signal(signal: NodeJS.Signals): boolean;
  /** Graceful stop: the stop signal, then SIGKILL to everything after the grace period. */
  stop(options: StopOptions): Promise<ContainerExit>;
  /** SIGKILL to every process of the container now. */
  kill(): Promise<ContainerExit>;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
};

export function exitFromSignal(signal: NodeJS.Signals): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 0);
}

/** Environment a container starts with, before its own: what runc/containerd add. */
export function baseEnvironment(sandbox: PodSandbox, tty: boolean): Record<string, string> {
  const env: Record<string, string> = { PATH: DEFAULT_PATH, ...sandbox.env };
  env['HOME'] = sandbox.mode === 'namespaces' ? '/root' : (process.env['HOME'] ?? '/');
  if (tty) env['TERM'] = 'xterm';
  return env;
}

let instanceSeq = 0;

/** The diagnostics file of one container or exec instance. */
export function diagnosticsPath(sandbox: PodSandbox, what: string): string {
  instanceSeq += 1;
  return join(sandbox.runtimeDir, `${what.replace(/[^\w.-]/g, '_')}-${Date.now()}-${instanceSeq}.err`);
}

/** Known noise from util-linux when the process it waits for was SIGKILLed. */
const NOISE = /^(unshare|nsenter): sigprocmask unblock failed: .*$/gm;

export function readDiagnostics(path: string): string | undefined {
  try {
    const text = readFileSync(path, 'utf8').replace(NOISE, '').trim();
    return text === '' ? undefined : text.slice(-4000);
  } catch {
    return undefined;
  }
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 10_000 && Date.now() < deadline; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 2));
  }
  return probe();
}

/**
 * Starts a container process in `sandbox`. Rejects with RuntimeError (reason StartError) when
 * the program or working directory does not exist or the sandbox is gone.
 */
export async function startContainer(sandbox: PodSandbox, options: StartContainerOptions): Promise<ContainerHandle> {
  const clock = options.clock ?? systemClock;
  const tty = options.tty === true;
  const cwd = options.cwd ?? '/';
  const fail = (why: string): RuntimeError => new RuntimeError('StartError', `Cannot start container "${options.name}": ${why}`);
  if (!sandbox.alive) throw fail(`the sandbox of pod ${sandbox.podName} is gone`);
  const env: Record<string, string> = { ...baseEnvironment(sandbox, tty), ...(options.env ?? {}) };
  const program = options.argv[0];
  if (program === undefined || program === '') throw fail('no command specified');
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw fail(`working directory ${cwd} does not exist`);
  if (findExecutable(program, env['PATH'], cwd) === undefined) {
    throw fail(`exec: "${program}": executable file not found in $PATH`);
  }
  const runtime = sandbox.runtime;
  const diagPath = diagnosticsPath(sandbox, options.name);
  const guard = { parentPid: process.pid, diagPath, parentDeathSignal: runtime.parentDeathSignal };
  let cmd: Command;
  if (sandbox.mode === 'namespaces') {
    if (sandbox.holderPid === undefined) throw fail('the sandbox has no holder process');
    cmd = namespacedContainerCommand(runtime.tools, guard, sandbox.holderPid, options.argv, { cwd, tty });
  } else {
    cmd = plainCommand(runtime.tools, guard, options.argv);
  }

  const log = openLogWriter(options.logPath, { ...(options.log ?? {}), clock });
  const hub = new OutputHub(options.holdOutputForFirstAttach === true);
  let child: Child;
  try {
    child = spawnChild(cmd, {
      env,
      cwd,
      tty,
      stdin: options.stdin === true,
      detached: sandbox.mode === 'process-group',
      cols: options.terminalSize?.cols,
      rows: options.terminalSize?.rows,
      drainMs: 2000,
    });
  } catch (err) {
    log.close();
    throw fail((err as Error).message);
  }
  if (child.pid <= 0) {
    log.close();
    throw fail(`could not spawn ${cmd.file}`);
  }
  const startedAt = clock.now();
  child.onOutput((stream, data) => {
    log.write(stream, data);
    hub.publish(stream, data);
  });

  // process-group mode: a watchdog outside the group kills it when our end of its stdin closes.
  let watchdogPid: number | undefined;
  if (sandbox.mode === 'process-group') {
    const wd = watchdogCommand(runtime.tools, child.pid);
    const w = spawn(wd.file, wd.args, { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    w.stdin?.on('error', () => undefined);
    w.unref();
    (w.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    watchdogPid = w.pid;
  }

  // namespaces mode: the main process is unshare's child (PID 1 inside).
  const namespacePid = sandbox.mode === 'namespaces' ? child.pid : undefined;
  let mainPid = child.pid;
  let pidNamespace: string | undefined;
  if (namespacePid !== undefined) {
    const found = await waitFor(() => {
      const kids = childrenOf(namespacePid);
      if (kids[0] !== undefined) return kids[0];
      return isAlive(namespacePid) ? undefined : -1;
    }, 5000);
    if (found !== undefined && found > 0) {
      mainPid = found;
      pidNamespace = namespaceOf(found, 'pid');
    }
  }

  let killSent = false;
  let done = false;
  const execs = new Set<SandboxMember>();
  let untrack: () => void = () => undefined;

  const allPids = (): number[] => {
    if (pidNamespace !== undefined) return processesInNamespace('pid', pidNamespace);
    return [];
  };
  const killEverything = (): void => {
    killSent = true;
    if (sandbox.mode === 'namespaces') {
      // Killing PID 1 ends the PID namespace; killing unshare covers the instant before PID 1 exists.
      signalPid(mainPid, 'SIGKILL');
      if (namespacePid !== undefined) signalPid(namespacePid, 'SIGKILL');
    } else {
      signalPid(-child.pid, 'SIGKILL');
      signalPid(child.pid, 'SIGKILL');
    }
  };

  child.onProcessExit(() => {
    if (sandbox.mode === 'process-group') {
      // As a runtime kills the container's cgroup: nothing of it outlives the main process.
      signalPid(-child.pid, 'SIGKILL');
      if (watchdogPid !== undefined) signalPid(watchdogPid, 'SIGKILL');
    }
  });
  const exited: Promise<ContainerExit> = child.exited.then(async (raw: ChildExit) => {
    done = true;
    await Promise.all([...execs].map((e) => e.kill()));
    log.close();
    hub.end();
    untrack();
    let signal: NodeJS.Signals | undefined = raw.signal ?? undefined;
    let exitCode = raw.code ?? 0;
    // unshare reports a SIGKILLed child as exit 1 (it cannot re-raise SIGKILL on itself).
    if (killSent && signal === undefined && sandbox.mode === 'namespaces' && exitCode === 1) signal = 'SIGKILL';
    if (signal !== undefined) exitCode = exitFromSignal(signal);
    return {
      exitCode,
      signal,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      finishedAt: clock.now(),
      message: readDiagnostics(diagPath),
    };
  });

  const handle: ContainerHandle = {
    name: options.name,
    sandbox,
    pid: mainPid,
    tty,
    argv: [...options.argv],
    env,
    cwd,
    startedAt,
    logPath: options.logPath,
    get running() {
      return !done;
    },
    exited,
    attach(attachOptions = {}) {
      const sub = hub.subscribe(tty);
      const wantStdin = attachOptions.stdin === true && options.stdin === true;
      return {
        stdout: sub.stdout,
        stderr: sub.stderr,
        stdin: wantStdin
          ? new Writable({
              write(chunk: Buffer, _enc, cb) {
                handle.writeStdin(chunk);
                cb();
              },
            })
          : undefined,
        resize: (cols, rows) => handle.resize(cols, rows),
        detach: () => sub.close(),
      };
    },
    writeStdin(data) {
      if (!done && options.stdin === true) child.write(data);
    },
    closeStdin() {
      if (!done) child.endInput();
    },
    resize(cols, rows) {
      if (!done) child.resize(cols, rows);
    },
    signal(sig) {
      if (done) return false;
      if (sig === 'SIGKILL') {
        killEverything();
        return true;
      }
      return signalPid(mainPid, sig);
    },
    async stop(stopOptions) {
      if (done) return exited;
      const sig = stopOptions.signal ?? 'SIGTERM';
      if (stopOptions.scope === 'all') {
        if (sandbox.mode === 'namespaces') for (const p of allPids()) signalPid(p, sig);
        else signalPid(-child.pid, sig);
      } else {
        handle.signal(sig);
      }
      const timer = clock.setTimeout(() => killEverything(), Math.max(0, stopOptions.gracePeriodMs));
      try {
        return await exited;
      } finally {
        clock.clearTimeout(timer);
      }
    },
    async kill() {
      if (!done) killEverything();
      return exited;
    },
  };
  if (!done) untrack = sandbox.track({ kill: () => handle.kill() });
  containerInternals.set(handle, {
    namespacePid,
    trackExec(member) {
      execs.add(member);
      return () => execs.delete(member);
    },
  });
  return handle;
}
