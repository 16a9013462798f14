// A pod sandbox: what the containers of one pod share. In namespaces mode that is a holder
// process owning the pod's UTS + mount namespaces (hostname, /etc/hosts, /etc/resolv.conf);
// in process-group mode it is only a hostname for $HOSTNAME.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { holderCommand, type Mount } from './_chain.js';
import { isAlive, signalPid } from './_proc.js';
import { RuntimeError } from './errors.js';
import { detectRuntime, type RuntimeInfo, type RuntimeMode } from './mode.js';

export interface PodSandboxOptions {
  /** The pod's own directory; the runtime keeps its diagnostics under `<podDir>/.runtime`. */
  podDir: string;
  /** Hostname inside the pod; default the pod name (Kubernetes: spec.hostname or the name). */
  hostname?: string;
  /** Bind-mounted on /etc/hosts (namespaces mode). Rewrite it in place, never by rename. */
  hostsPath?: string;
  /** Bind-mounted on /etc/resolv.conf (namespaces mode). */
  resolvConfPath?: string;
  /** Bind-mounted on /etc/hostname (namespaces mode). */
  hostnamePath?: string;
  /** The runtime to use; default detectRuntime(). */
  runtime?: RuntimeInfo;
  /** How long the holder may take to come up. Default 10 s. */
  startTimeoutMs?: number;
}

/** Anything the sandbox tears down with itself (containers register here). */
export interface SandboxMember {
  /** Kill now (SIGKILL) and resolve when gone. */
  kill(): Promise<unknown>;
}

export interface PodSandbox {
  readonly podName: string;
  readonly hostname: string;
  readonly mode: RuntimeMode;
  readonly runtime: RuntimeInfo;
  readonly podDir: string;
  /** The holder's pid in namespaces mode (its /proc/<pid>/ns/{uts,mnt} are the pod's). */
  readonly holderPid: number | undefined;
  /** Environment every container of the pod gets before its own (HOSTNAME). */
  readonly env: Readonly<Record<string, string>>;
  /** False once destroyed, or once the holder died. */
  readonly alive: boolean;
  /** Directory for the runtime's own files (diagnostics). */
  readonly runtimeDir: string;
  /** Registers a member torn down by destroy(); returns the function that unregisters it. */
  track(member: SandboxMember): () => void;
  /** Kills every container still running (SIGKILL), then the holder. Idempotent. */
  destroy(): Promise<void>;
}

const HOSTNAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i;

/**
 * Creates a pod sandbox. Rejects with RuntimeError (reason SandboxError) when the holder cannot
 * start (its diagnostics are in the message).
 */
export async function createPodSandbox(podName: string, options: PodSandboxOptions): Promise<PodSandbox> {
  const runtime = options.runtime ?? detectRuntime();
  // Kubernetes truncates pod hostnames to 63 characters.
  const hostname = (options.hostname ?? podName).slice(0, 63).replace(/[-.]+$/, '');
  if (!HOSTNAME_RE.test(hostname)) {
    throw new RuntimeError('SandboxError', `Cannot create sandbox for pod ${podName}: "${hostname}" is not a valid hostname`);
  }
  const runtimeDir = join(options.podDir, '.runtime');
  mkdirSync(runtimeDir, { recursive: true });
  const members = new Set<SandboxMember>();
  let holderPid: number | undefined;
  let holderExited: Promise<void> = Promise.resolve();
  let holderProcess: ReturnType<typeof spawn> | undefined;
  let destroyed = false;

  if (runtime.mode === 'namespaces') {
    const mounts: Mount[] = [];
    for (const [source, target] of [
      [options.hostsPath, '/etc/hosts'],
      [options.resolvConfPath, '/etc/resolv.conf'],
      [options.hostnamePath, '/etc/hostname'],
    ] as const) {
      if (source === undefined) continue;
      if (!existsSync(source)) {
        throw new RuntimeError('SandboxError', `Cannot create sandbox for pod ${podName}: ${source} (for ${target}) does not exist`);
      }
      mounts.push({ source, target });
    }
    const diagPath = join(runtimeDir, 'sandbox.err');
    const cmd = holderCommand(runtime.tools, { parentPid: process.pid, diagPath, parentDeathSignal: true }, hostname, mounts);
    const holder = spawn(cmd.file, cmd.args, { stdio: ['ignore', 'pipe', 'ignore'], cwd: '/' });
    holderExited = new Promise((resolve) => holder.once('exit', () => resolve()));
    const diag = (): string => {
      try {
        return readFileSync(diagPath, 'utf8').trim();
      } catch {
        return '';
      }
    };
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => {
        signalPid(holder.pid ?? -1, 'SIGKILL');
        reject(new RuntimeError('SandboxError', `Cannot create sandbox for pod ${podName}: holder not ready after ${options.startTimeoutMs ?? 10_000} ms`));
      }, options.startTimeoutMs ?? 10_000);
      holder.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready\n')) {
          clearTimeout(timer);
          resolve();
        }
      });
      holder.once('error', (err) => {
        clearTimeout(timer);
        reject(new RuntimeError('SandboxError', `Cannot create sandbox for pod ${podName}: ${err.message}`));
      });
      holder.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new RuntimeError('SandboxError', `Cannot create sandbox for pod ${podName}: holder exited (${signal ?? code}) ${diag()}`.trim()));
      });
    });
    holderPid = holder.pid;
    holderProcess = holder;
    // The holder must not keep kubeloop alive; the parent-death signal ends it with us.
    holder.stdout?.destroy();
    holder.unref();
  }

  const sandbox: PodSandbox = {
    podName,
    hostname,
    mode: runtime.mode,
    runtime,
    podDir: options.podDir,
    holderPid,
    env: { HOSTNAME: hostname },
    runtimeDir,
    get alive() {
      return !destroyed && (holderPid === undefined || isAlive(holderPid));
    },
    track(member) {
      members.add(member);
      return () => members.delete(member);
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await Promise.all([...members].map((m) => m.kill()));
      members.clear();
      if (holderPid !== undefined) {
        // Unref'd so it never keeps kubeloop alive; while we wait for it, it must.
        holderProcess?.ref();
        signalPid(holderPid, 'SIGKILL');
        await holderExited;
      }
    },
  };
  return sandbox;
}
