// Running another process inside a running container (kubectl exec).
import { Writable, type Readable } from 'node:stream';
import { namespacedExecCommand, plainCommand, type Command } from './_chain.js';
import { spawnChild, type Child } from './_child.js';
import { findExecutable } from './_exec-path.js';
import { containerInternals } from './_internals.js';
import { OutputHub } from './_output.js';
import { childrenOf, isAlive, signalPid } from './_proc.js';
import { systemClock, type Clock } from './clock.js';
import { diagnosticsPath, exitFromSignal, readDiagnostics, type ContainerExit, type ContainerHandle, type TerminalSize } from './container.js';
import { RuntimeError } from './errors.js';

export interface ExecOptions {
  /** Run on a terminal; stderr is then merged into stdout. */
  tty?: boolean;
  /** Open stdin for writing; otherwise it is /dev/null (or an idle terminal). */
  stdin?: boolean;
  terminalSize?: TerminalSize;
  /** Added to the container's environment. */
  env?: Readonly<Record<string, string>>;
  /** Default: the container's working directory. */
  cwd?: string;
  clock?: Clock;
}

export interface ExecSession {
  /** Host pid of the exec'd process (a member of the container's PID namespace, as root). */
  readonly pid: number;
  /** Everything the process writes, from the start; ends when it exits. */
  readonly stdout: Readable;
  /** undefined with a terminal. */
  readonly stderr: Readable | undefined;
  /** Present with `stdin: true`; end() closes stdin (Ctrl-D on a terminal). */
  readonly stdin: Writable | undefined;
  /** Exit status of the exec'd process (same shape as a container's). */
  readonly exited: Promise<ContainerExit>;
  resize(cols: number, rows: number): void;
  signal(signal: NodeJS.Signals): boolean;
  kill(): Promise<ContainerExit>;
}

/**
 * Runs `argv` inside `container`: same hostname, mounts and PID namespace (as root), same
 * environment and working directory. The process dies when the container ends. Rejects with
 * RuntimeError (reason ExecError) when the container is not running or the program is missing.
 */
export async function execInContainer(container: ContainerHandle, argv: readonly string[], options: ExecOptions = {}): Promise<ExecSession> {
  const clock = options.clock ?? systemClock;
  const tty = options.tty === true;
  const cwd = options.cwd ?? container.cwd;
  const fail = (why: string): RuntimeError => new RuntimeError('ExecError', `Cannot exec in container "${container.name}": ${why}`);
  const internals = containerInternals.get(container);
  if (!container.running || !internals) throw fail('container is not running');
  const env: Record<string, string> = { ...container.env, ...(options.env ?? {}) };
  if (tty && env['TERM'] === undefined) env['TERM'] = 'xterm';
  const program = argv[0];
  if (program === undefined || program === '') throw fail('no command specified');
  if (findExecutable(program, env['PATH'], cwd) === undefined) {
    throw fail(`exec: "${program}": executable file not found in $PATH`);
  }
  const sandbox = container.sandbox;
  const runtime = sandbox.runtime;
  const diagPath = diagnosticsPath(sandbox, `${container.name}-exec`);
  const guard = { parentPid: process.pid, diagPath, parentDeathSignal: runtime.parentDeathSignal };
  let cmd: Command;
  if (sandbox.mode === 'namespaces') {
    if (internals.namespacePid === undefined) throw fail('container has no namespaces');
    cmd = namespacedExecCommand(runtime.tools, guard, internals.namespacePid, argv, { cwd, tty });
  } else {
    cmd = plainCommand(runtime.tools, guard, argv);
  }
  const hub = new OutputHub();
  // Subscribe before spawning so that no output is missed.
  const out = hub.subscribe(tty);
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
      drainMs: 500,
    });
  } catch (err) {
    throw fail((err as Error).message);
  }
  child.onOutput((stream, data) => hub.publish(stream, data));

  // namespaces mode: nsenter forks to enter the PID namespace; the exec'd process is its child.
  let pid = child.pid;
  if (sandbox.mode === 'namespaces') {
    for (let i = 0; i < 2500; i++) {
      const kid = childrenOf(child.pid)[0];
      if (kid !== undefined) {
        pid = kid;
        break;
      }
      if (!isAlive(child.pid)) break;
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  let killSent = false;
  let done = false;
  const killNow = (): void => {
    killSent = true;
    signalPid(pid, 'SIGKILL');
    if (sandbox.mode === 'process-group') signalPid(-child.pid, 'SIGKILL');
    signalPid(child.pid, 'SIGKILL');
  };
  let untrack: () => void = () => undefined;
  const exited = child.exited.then((raw): ContainerExit => {
    done = true;
    untrack();
    hub.end();
    let signal = raw.signal ?? undefined;
    let exitCode = raw.code ?? 0;
    if (killSent && signal === undefined && exitCode === 1 && sandbox.mode === 'namespaces') signal = 'SIGKILL';
    if (signal !== undefined) exitCode = exitFromSignal(signal);
    return { exitCode, signal, reason: exitCode === 0 ? 'Completed' : 'Error', finishedAt: clock.now(), message: readDiagnostics(diagPath) };
  });
  const session: ExecSession = {
    pid,
    stdout: out.stdout,
    stderr: out.stderr,
    stdin:
      options.stdin === true
        ? new Writable({
            write(chunk: Buffer, _enc, cb) {
              child.write(chunk);
              cb();
            },
            final(cb) {
              child.endInput();
              cb();
            },
          })
        : undefined,
    exited,
    resize: (cols, rows) => {
      if (!done) child.resize(cols, rows);
    },
    signal: (sig) => (done ? false : signalPid(pid, sig)),
    kill: async () => {
      if (!done) killNow();
      return exited;
    },
  };
  if (!done) untrack = internals.trackExec({ kill: () => session.kill() });
  return session;
}
