// The argv chains that start sandbox holders, containers and execs. Pure functions, so the
// exact commands are visible and unit-tested; see README.md for why each link is there.
import type { HostTools } from './mode.js';

/**
 * First link of every chain, run as `setpriv --pdeathsig KILL -- sh -c GUARD ...`: the parent-death
 * signal is armed before the guard checks that its parent is still the kubeloop process that
 * spawned it (closing the fork/prctl race), then the runtime's own stderr goes to a diagnostics
 * file while the container's stderr is kept as fd 3 for the shim to restore.
 */
export const GUARD_SCRIPT =
  'read -r _ _ _ pp _ < /proc/$$/stat; [ "$pp" = "$1" ] || exit 125; exec 3>&2 2>>"$2"; shift 2; exec "$@"';

/** Last link: the program gets its real stderr back and becomes the process (same pid). */
export const SHIM_SCRIPT = 'exec "$@" 2>&3 3>&-';

/**
 * Last link with a terminal inside a PID namespace: the program leads its own session with the
 * terminal as controlling tty, so shells can manage job control (the outer session's process
 * group is invisible in the namespace).
 */
export const TTY_SHIM_SCRIPT = 'exec "$0" -w -c "$@" 2>&3 3>&-';

/**
 * The sandbox holder, run in new UTS + mount namespaces: sets the hostname, bind-mounts each
 * (source, target) pair, says `ready`, and then sleeps until killed.
 */
export const HOLDER_SCRIPT =
  'm=$1; s=$2; printf %s "$3" > /proc/sys/kernel/hostname || exit 1; shift 3; ' +
  'while [ $# -ge 2 ]; do "$m" --bind "$1" "$2" || exit 1; shift 2; done; echo ready; exec "$s" infinity';

export interface Command {
  file: string;
  args: string[];
}

export interface GuardOptions {
  /** The pid that spawns the chain (process.pid). */
  parentPid: number;
  /** Where the runtime tools' own error messages go. */
  diagPath: string;
  /** Arm a parent-death SIGKILL (needs setpriv). */
  parentDeathSignal: boolean;
}

function required(tools: HostTools, name: keyof HostTools): string {
  const p = tools[name];
  if (p === undefined) throw new Error(`Cannot build command: ${name} is not installed`);
  return p;
}

export function guarded(tools: HostTools, guard: GuardOptions, rest: readonly string[]): Command {
  const tail = [tools.sh, '-c', GUARD_SCRIPT, 'kubeloop-guard', String(guard.parentPid), guard.diagPath, ...rest];
  if (guard.parentDeathSignal) return { file: required(tools, 'setpriv'), args: ['--pdeathsig', 'KILL', '--', ...tail] };
  const [file, ...args] = tail;
  return { file: file ?? tools.sh, args };
}

export function shim(tools: HostTools, argv: readonly string[], options: { ttySession: boolean }): string[] {
  return options.ttySession
    ? [tools.sh, '-c', TTY_SHIM_SCRIPT, required(tools, 'setsid'), ...argv]
    : [tools.sh, '-c', SHIM_SCRIPT, 'kubeloop-shim', ...argv];
}

export interface Mount {
  source: string;
  target: string;
}

export function holderCommand(tools: HostTools, guard: GuardOptions, hostname: string, mounts: readonly Mount[]): Command {
  return guarded(tools, guard, [
    required(tools, 'unshare'),
    '--uts',
    '--mount',
    '--propagation',
    'private',
    '--',
    tools.sh,
    '-c',
    HOLDER_SCRIPT,
    'kubeloop-sandbox',
    required(tools, 'mount'),
    required(tools, 'sleep'),
    hostname,
    ...mounts.flatMap((m) => [m.source, m.target]),
  ]);
}

/**
 * A container in namespaces mode: enter the pod's UTS + mount namespaces (the holder's), then a
 * new PID + mount namespace whose init is the program; `--kill-child` ties the init's life to
 * unshare's, which dies with kubeloop through the parent-death signal.
 */
export function namespacedContainerCommand(
  tools: HostTools,
  guard: GuardOptions,
  holderPid: number,
  argv: readonly string[],
  options: { cwd: string; tty: boolean },
): Command {
  return guarded(tools, guard, [
    required(tools, 'nsenter'),
    `--uts=/proc/${holderPid}/ns/uts`,
    `--mount=/proc/${holderPid}/ns/mnt`,
    `--wd=${options.cwd}`,
    '--',
    required(tools, 'unshare'),
    '--pid',
    '--fork',
    '--kill-child',
    '--mount-proc',
    '--',
    ...shim(tools, argv, { ttySession: options.tty }),
  ]);
}

/**
 * An exec in namespaces mode: join the container's namespaces through its unshare process
 * (`pid_for_children` is the container's PID namespace), so the new process dies with it.
 */
export function namespacedExecCommand(
  tools: HostTools,
  guard: GuardOptions,
  containerUnsharePid: number,
  argv: readonly string[],
  options: { cwd: string; tty: boolean },
): Command {
  const u = containerUnsharePid;
  return guarded(tools, guard, [
    required(tools, 'nsenter'),
    `--uts=/proc/${u}/ns/uts`,
    `--mount=/proc/${u}/ns/mnt`,
    `--pid=/proc/${u}/ns/pid_for_children`,
    `--wd=${options.cwd}`,
    '--',
    ...shim(tools, argv, { ttySession: options.tty }),
  ]);
}

/** A container or exec in process-group mode: the guard and the shim only. */
export function plainCommand(tools: HostTools, guard: GuardOptions, argv: readonly string[]): Command {
  return guarded(tools, guard, shim(tools, argv, { ttySession: false }));
}

/** Kills process group `pgid` when its stdin reaches EOF, i.e. when kubeloop goes away. */
export function watchdogCommand(tools: HostTools, pgid: number): Command {
  return { file: tools.sh, args: ['-c', 'read -r _; kill -KILL "-$1" 2>/dev/null; exit 0', 'kubeloop-watchdog', String(pgid)] };
}
