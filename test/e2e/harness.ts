// End-to-end harness: starts the real `kubeloop up` in a child process on a temp data dir and a
// free port, and runs the real kubectl against it with an isolated HOME (so kubectl's discovery
// and version caches never leak between tests). Everything started is stopped by pid in stop().
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Client, HttpsTransport } from '../../src/client/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const KUBELOOP_BIN = join(repoRoot, 'bin/kubeloop.js');
/** Test fixtures kept in the repository (the seed Service is a copy of ../shared/reference's). */
export const FIXTURES_DIR = join(repoRoot, 'test/fixtures');

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubeloop {
  ranges: { serviceCIDR: string; podCIDR: string; lbCIDR: string };
  dataDir: string;
  home: string;
  kubeconfig: string;
  url: string;
  pid: number;
  child: ChildProcess;
  /** The token and CA from the kubeconfig, for raw HTTPS requests. */
  token: string;
  caCert: string;
  client: Client;
  /** A raw HTTPS request to the API server (token sent unless `token: null`). */
  raw(method: string, path: string, opts?: { body?: string | Buffer; contentType?: string; token?: string | null; accept?: string }): Promise<{ code: number; body: string; headers: Record<string, unknown> }>;
  kubectl(args: string[], opts?: { input?: string; env?: Record<string, string>; timeoutMs?: number }): KubectlResult;
  /** kubectl that must succeed; returns stdout. */
  k(args: string[], opts?: { input?: string; env?: Record<string, string> }): string;
  /** Stops with SIGTERM (SIGKILL after 10 s) and removes the data dir unless `keepData`. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
  /** SIGKILL, keeping the data dir. */
  kill(): Promise<void>;
  /** Output of the child so far (for diagnosing failures). */
  output(): string;
}

export interface StartOptions {
  args?: string[];
  /** Reuse an existing data dir (restart). */
  dataDir?: string;
  home?: string;
  readyTimeoutMs?: number;
  /** Address ranges (default: fresh ones from testRanges()); pass the same on a restart. */
  ranges?: { serviceCIDR: string; podCIDR: string; lbCIDR: string };
}

let clusterSeq = 0;
const RANGE_SLOTS = 60;
const reservedSlots: string[] = [];

/**
 * Claims slot k for this process with a file in the temp dir holding its pid; a slot whose
 * holder is dead is taken over. Test processes running at once (test files in parallel, or
 * several runs on one machine) thereby never share address ranges; the files go when this
 * process exits.
 */
function claimSlot(k: number): boolean {
  const dir = join(tmpdir(), 'kubeloop-e2e-ranges');
  const file = join(dir, String(k));
  mkdirSync(dir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      if (reservedSlots.length === 0) process.once('exit', () => reservedSlots.forEach((f) => rmSync(f, { force: true })));
      reservedSlots.push(file);
      return true;
    } catch {
      let text: string;
      try {
        text = readFileSync(file, 'utf8').trim();
      } catch {
        continue; // released meanwhile: try again
      }
      // An empty file is a claim being written.
      if (text === '' || Number(text) === process.pid || holderAlive(Number(text))) return false;
      rmSync(file, { force: true });
    }
  }
  return false;
}

function holderAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Address ranges for one test cluster, distinct per test process and cluster so clusters that
 * run at the same time never bind the same ClusterIP, pod, node, DNS or LoadBalancer address.
 */
export function testRanges(): { serviceCIDR: string; podCIDR: string; lbCIDR: string } {
  const start = (process.pid * 7 + clusterSeq++ * 13) % RANGE_SLOTS;
  let k = start;
  for (let i = 0; i < RANGE_SLOTS; i++) {
    const candidate = (start + i * 13) % RANGE_SLOTS;
    if (claimSlot(candidate)) {
      k = candidate;
      break;
    }
  }
  return { serviceCIDR: `127.${112 + k}.0.0/16`, podCIDR: `127.${176 + k}.0.0/16`, lbCIDR: `127.251.${k}.0/24` };
}

export async function startKubeloop(o: StartOptions = {}): Promise<Kubeloop> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'kubeloop-e2e-'));
  const home = o.home ?? mkdtempSync(join(tmpdir(), 'kubeloop-home-'));
  const args = o.args ?? [];
  const ranges = o.ranges ?? testRanges();
  const rangeArgs = [
    ...(args.includes('--service-cidr') ? [] : ['--service-cidr', ranges.serviceCIDR]),
    ...(args.includes('--pod-cidr') ? [] : ['--pod-cidr', ranges.podCIDR]),
    ...(args.includes('--lb-cidr') ? [] : ['--lb-cidr', ranges.lbCIDR]),
    // Names outside the cluster zone must never reach the host's resolvers from a test (network
    // rule: 127.0.0.0/8 only); nothing listens here, so such lookups fail fast with SERVFAIL.
    ...(args.includes('--dns-upstream') ? [] : ['--dns-upstream', '127.255.255.254:53']),
  ];
  const child = spawn(process.execPath, [KUBELOOP_BIN, 'up', '--data-dir', dataDir, '--port', '0', ...rangeArgs, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: home },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`kubeloop did not print ready within ${o.readyTimeoutMs ?? 20000} ms:\n${out}`)), o.readyTimeoutMs ?? 20000);
    const check = () => {
      if (/ready/.test(out)) {
        clearTimeout(timer);
        resolveReady();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubeloop exited with ${code} before ready:\n${out}`));
    });
  });
  const kubeconfig = join(dataDir, 'kubeconfig');
  const doc = parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  const url = doc.clusters[0]!.cluster.server;
  const caCert = Buffer.from(doc.clusters[0]!.cluster['certificate-authority-data'], 'base64').toString();
  const token = doc.users[0]!.user.token;
  const transport = new HttpsTransport({ server: url, caCert, token });
  const kubectl = (args: string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): KubectlResult => {
    const r = spawnSync('kubectl', args, {
      input: opts.input ?? '',
      env: { ...process.env, HOME: home, KUBECONFIG: kubeconfig, ...(opts.env ?? {}) },
      timeout: opts.timeoutMs ?? 60_000,
      encoding: 'utf8',
    });
    return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
  let cleaned = false;
  const terminate = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  };
  return {
    ranges,
    dataDir,
    home,
    kubeconfig,
    url,
    pid: child.pid!,
    child,
    token,
    caCert,
    client: new Client(transport),
    raw: (method, path, ro = {}) =>
      new Promise((resolveRaw, reject) => {
        const headers: Record<string, string | number> = { Accept: ro.accept ?? 'application/json' };
        const tok = ro.token === undefined ? token : ro.token;
        if (tok !== null) headers.Authorization = `Bearer ${tok}`;
        if (ro.body !== undefined) {
          headers['Content-Type'] = ro.contentType ?? 'application/json';
          headers['Content-Length'] = Buffer.byteLength(ro.body);
        }
        const req = httpsRequest(new URL(path, url), { method, ca: caCert, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolveRaw({ code: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
          res.on('error', reject);
        });
        req.on('error', reject);
        if (ro.body !== undefined) req.write(ro.body);
        req.end();
      }),
    kubectl,
    k(args, opts) {
      const r = kubectl(args, opts);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    async stop(opts = {}) {
      transport.close();
      await terminate('SIGTERM');
      if (cleaned || opts.keepData) return;
      cleaned = true;
      if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (!o.home) rmSync(home, { recursive: true, force: true });
    },
    async kill() {
      transport.close();
      await terminate('SIGKILL');
    },
    output: () => out,
  };
}

/** Splits kubectl table output into rows of cells (by runs of 2+ spaces... as tabwriter pads with 3). */
export function tableRows(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s{2,}/));
}
