// `kubeloop up`: start a cluster in the foreground on a data dir; Ctrl-C stops everything.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCluster } from '../cluster/index.js';
import { flagDuration, flagInt, flagString, type ParsedArgs } from './args.js';
import { mergeKubeconfig } from '../cluster/index.js';

export const DEFAULT_DATA_DIR = join(homedir(), '.kubeloop');

export function dataDirOf(p: ParsedArgs): { dir: string; explicit: boolean } {
  const d = flagString(p, 'data-dir');
  return d ? { dir: resolve(d), explicit: true } : { dir: DEFAULT_DATA_DIR, explicit: false };
}

export function pidFile(dir: string): string {
  return join(dir, 'kubeloop.pid');
}

export function runningPid(dir: string): number | undefined {
  const f = pidFile(dir);
  if (!existsSync(f)) return undefined;
  const pid = Number(readFileSync(f, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return isAlive(pid) ? pid : undefined;
}

/** Whether a process runs: it exists and is not a zombie (exited, not yet reaped by its parent). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..." — the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no procfs: trust kill(0)
  }
}

export async function up(p: ParsedArgs): Promise<number> {
  const { dir, explicit } = dataDirOf(p);
  mkdirSync(dir, { recursive: true });
  const other = runningPid(dir);
  if (other !== undefined && other !== process.pid) {
    process.stderr.write(`kubeloop: Cannot start: kubeloop is already running on ${dir} (pid ${other}); stop it with "kubeloop down${explicit ? ` --data-dir ${dir}` : ''}"\n`);
    return 1;
  }
  const logPath = join(dir, 'kubeloop.log');
  const log = (line: Record<string, unknown>) => {
    appendFileSync(logPath, JSON.stringify({ time: new Date().toISOString(), ...line }) + '\n');
  };
  const started = Date.now();
  const cluster = await startCluster({
    dataDir: dir,
    port: flagInt(p, 'port', 6443),
    compactIntervalMs: flagDuration(p, 'compact-interval', 5 * 60_000),
    ...(flagString(p, 'service-cidr') ? { serviceCIDR: flagString(p, 'service-cidr')! } : {}),
    ...(flagString(p, 'node-port-range') ? { nodePortRange: flagString(p, 'node-port-range')! } : {}),
    ...(flagString(p, 'cluster-domain') ? { clusterDomain: flagString(p, 'cluster-domain')! } : {}),
    ...(flagString(p, 'pod-cidr') ? { podCIDR: flagString(p, 'pod-cidr')! } : {}),
    nodes: flagInt(p, 'nodes', 1),
    ...(flagString(p, 'dns-upstream') ? { dnsUpstreams: parseUpstreams(flagString(p, 'dns-upstream')!) } : {}),
    ...(flagString(p, 'lb-cidr') ? { lbCIDR: flagString(p, 'lb-cidr')! } : {}),
    log,
  });
  writeFileSync(pidFile(dir), String(process.pid));
  if (!explicit) mergeKubeconfig(join(homedir(), '.kube', 'config'), { name: 'kubeloop', server: cluster.url, caCert: cluster.apiServer.credentials.caCert, token: cluster.apiServer.credentials.token });
  const kubeconfigHint = explicit ? `export KUBECONFIG=${cluster.kubeconfigPath}` : 'kubectl context "kubeloop" selected in ~/.kube/config';
  for (const w of cluster.warnings) process.stdout.write(`kubeloop: warning: ${w}\n`);
  process.stdout.write(`kubeloop ready in ${((Date.now() - started) / 1000).toFixed(2)}s: API server ${cluster.url}, kubeconfig ${cluster.kubeconfigPath}\n  ${kubeconfigHint}\n`);
  log({ level: 'info', msg: 'ready', url: cluster.url });
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    if (stopping) return stopping;
    process.stdout.write(`kubeloop: stopping (${signal})\n`);
    stopping = cluster.stop().finally(() => {
      if (runningPid(dir) === process.pid) rmSync(pidFile(dir), { force: true });
      log({ level: 'info', msg: 'stopped' });
    });
    return stopping;
  };
  await new Promise<void>((resolveStop) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stop(sig).then(resolveStop));
  });
  return 0;
}

/** `--dns-upstream 127.0.0.53:53,127.0.0.1` → resolvers (port 53 when omitted). */
export function parseUpstreams(v: string): { host: string; port: number }[] {
  return v.split(',').map((part) => {
    const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(part.trim());
    if (!m) throw new Error(`Cannot use --dns-upstream ${part}: expected IPv4[:port]`);
    return { host: m[1]!, port: m[2] ? Number(m[2]) : 53 };
  });
}
