// Which isolation the runtime can give on this machine, decided once per process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * `namespaces` (root): a UTS + mount namespace per pod, a PID namespace per container, parent-
 * death signals on every link. `process-group` (not root, or namespaces unavailable): a process
 * group per container, HOSTNAME in the environment, a watchdog that kills the group when
 * kubeloop goes away.
 */
export type RuntimeMode = 'namespaces' | 'process-group';

export interface HostTools {
  sh: string;
  setpriv: string | undefined;
  nsenter: string | undefined;
  unshare: string | undefined;
  setsid: string | undefined;
  mount: string | undefined;
  sleep: string | undefined;
}

export interface RuntimeInfo {
  mode: RuntimeMode;
  /** Why this mode, for `kubeloop status` and logs. */
  reason: string;
  /** Whether container processes get a parent-death signal (setpriv found). */
  parentDeathSignal: boolean;
  tools: HostTools;
}

const DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'];

function findTool(name: string): string | undefined {
  return DIRS.map((d) => `${d}/${name}`).find((p) => existsSync(p));
}

export function findHostTools(): HostTools {
  return {
    sh: findTool('sh') ?? '/bin/sh',
    setpriv: findTool('setpriv'),
    nsenter: findTool('nsenter'),
    unshare: findTool('unshare'),
    setsid: findTool('setsid'),
    mount: findTool('mount'),
    sleep: findTool('sleep'),
  };
}

let cached: RuntimeInfo | undefined;

/**
 * Detects the mode: `namespaces` when running as root with util-linux's unshare/nsenter/setpriv
 * and a trial `unshare --uts --mount --pid` succeeds; else `process-group`, with the reason.
 * `prefer: 'process-group'` forces the degraded mode (tests, or an operator's choice).
 */
export function detectRuntime(options: { prefer?: RuntimeMode } = {}): RuntimeInfo {
  if (options.prefer === undefined && cached) return cached;
  const tools = findHostTools();
  const pg = (reason: string): RuntimeInfo => ({ mode: 'process-group', reason, parentDeathSignal: tools.setpriv !== undefined, tools });
  let info: RuntimeInfo;
  if (options.prefer === 'process-group') info = pg('process-group mode was requested');
  else if (process.platform !== 'linux') info = pg(`namespaces need Linux (this is ${process.platform})`);
  else if (process.getuid?.() !== 0) info = pg('not running as root: no namespaces; hostname only in $HOSTNAME, /etc/hosts and /etc/resolv.conf are the host\'s');
  else {
    const missing = (['setpriv', 'nsenter', 'unshare', 'setsid', 'mount', 'sleep'] as const).filter((t) => tools[t] === undefined);
    if (missing.length > 0) info = pg(`missing ${missing.join(', ')} (util-linux, coreutils)`);
    else {
      const probe = spawnSync(tools.unshare ?? 'unshare', ['--uts', '--mount', '--pid', '--fork', '--kill-child', '--mount-proc', '--', tools.sh, '-c', 'exit 0'], {
        timeout: 10_000,
        encoding: 'utf8',
      });
      info =
        probe.status === 0
          ? { mode: 'namespaces', reason: 'running as root: UTS + mount namespace per pod, PID namespace per container', parentDeathSignal: true, tools }
          : pg(`unshare --uts --mount --pid failed: ${(probe.stderr || probe.error?.message || `exit ${probe.status}`).trim()}`);
    }
  }
  if (options.prefer === undefined) cached = info;
  return info;
}
