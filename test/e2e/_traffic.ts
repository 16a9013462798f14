// Helpers for end-to-end tests that send real traffic through a kubeloop cluster: curl from the
// host (optionally bound to a source address, which is how a client on a given node is
// simulated in loopback mode), commands in pods through the real kubectl, and waits on pods,
// EndpointSlices and Services read through the API. Every wait is bounded in time.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { stringify } from 'yaml';
import type { EndpointSlice, Pod, Service } from '../../src/api/index.js';
import { testRanges, type Kubeloop, type KubectlResult } from './harness.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The 127.x.y.z IPv4 addresses with a socket bound on this machine now (from /proc/net). */
function boundLoopbackAddresses(): string[] {
  const out: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/udp']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const hex = /^\s*\d+: ([0-9A-F]{8}):/.exec(line)?.[1];
      if (!hex) continue;
      // Little-endian: "0100007F" is 127.0.0.1.
      const ip = [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
      if (ip.startsWith('127.')) out.push(ip);
    }
  }
  return out;
}

/**
 * Address ranges from the harness's testRanges() that no other cluster on this machine is using
 * right now (other test processes may run clusters at the same time, and testRanges() only
 * spreads them by pid); falls back to the next ranges if every candidate looks busy.
 */
export function unusedTestRanges(): ReturnType<typeof testRanges> {
  const bound = boundLoopbackAddresses();
  const prefix = (cidr: string, octets: number) => cidr.split('.').slice(0, octets).join('.') + '.';
  let first: ReturnType<typeof testRanges> | undefined;
  for (let i = 0; i < 60; i++) {
    const r = testRanges();
    first ??= r;
    const taken = [prefix(r.serviceCIDR, 2), prefix(r.podCIDR, 2), prefix(r.lbCIDR, 3)];
    if (!bound.some((ip) => taken.some((p) => ip.startsWith(p)))) return r;
  }
  return first ?? testRanges();
}

/** Polls `fn` until it returns a truthy value; throws naming `what` after `timeoutMs`. */
export async function until<T>(what: string, fn: () => T | Promise<T>, o: { timeoutMs?: number; intervalMs?: number } = {}): Promise<NonNullable<T>> {
  const timeoutMs = o.timeoutMs ?? 15_000;
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`${what}: not reached within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
    await sleep(o.intervalMs ?? 100);
  }
}

/** curl's exit codes the tests tell apart. */
export const CURL_REFUSED = 7;
export const CURL_TIMEOUT = 28;

export interface CurlResult {
  /** curl's exit code: 0, CURL_REFUSED, CURL_TIMEOUT, ... */
  code: number;
  body: string;
  stderr: string;
  ms: number;
}

/**
 * One HTTP GET with the real curl on a new connection. `source` binds the client address (an
 * address in a node's pod /24 makes the proxy treat the client as being on that node).
 */
export function curl(url: string, o: { source?: string; maxTimeS?: number } = {}): Promise<CurlResult> {
  const args = ['-sS', '--max-time', String(o.maxTimeS ?? 3), ...(o.source ? ['--interface', o.source] : []), url];
  const started = Date.now();
  return new Promise((resolve) => {
    execFile('curl', args, { encoding: 'utf8', timeout: ((o.maxTimeS ?? 3) + 5) * 1000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, body: stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** `n` sequential requests, each on its own connection; every one must succeed. Returns the trimmed bodies. */
export async function curlMany(url: string, n: number, o: { source?: string; maxTimeS?: number } = {}): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await curl(url, o);
    if (r.code !== 0) throw new Error(`request ${i + 1}/${n} to ${url}${o.source ? ` from ${o.source}` : ''} failed (curl ${r.code}): ${r.stderr.trim()}`);
    out.push(r.body.trim());
  }
  return out;
}

/** The first successful answer of `url` (servers start listening shortly after their pod is Ready). */
export async function firstAnswer(url: string, o: { source?: string; timeoutMs?: number } = {}): Promise<string> {
  return until(
    `an answer from ${url}`,
    async () => {
      const r = await curl(url, { maxTimeS: 2, ...(o.source ? { source: o.source } : {}) });
      return r.code === 0 ? r.body.trim() : undefined;
    },
    { timeoutMs: o.timeoutMs ?? 15_000 },
  );
}

/** Runs `sh -c script` in a pod's first container through `kubectl exec`. */
export function shIn(kl: Kubeloop, pod: string, script: string, o: { namespace?: string; timeoutMs?: number } = {}): KubectlResult {
  return kl.kubectl(['exec', '-n', o.namespace ?? 'default', pod, '--', 'sh', '-c', script], { timeoutMs: o.timeoutMs ?? 30_000 });
}

/**
 * `n` requests with busybox `wget` from inside a pod, each on its own connection; returns the
 * trimmed bodies, with `FAIL` for a request that failed.
 */
export function wgetFromPod(kl: Kubeloop, pod: string, url: string, n: number): string[] {
  const r = shIn(kl, pod, `i=0; while [ $i -lt ${n} ]; do wget -O- -q '${url}' || printf FAIL; echo; i=$((i+1)); done`);
  if (r.code !== 0) throw new Error(`wget loop in ${pod} failed (${r.code}): ${r.stderr}`);
  return r.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

/**
 * Creates or updates objects with `kubectl apply -f -`, as a multi-document stream (a `kind: List`
 * would make kubectl validate against /openapi/v2).
 */
export function apply(kl: Kubeloop, ...objects: object[]): string {
  return kl.k(['apply', '-f', '-'], { input: objects.map((o) => stringify(o)).join('---\n') });
}

export interface NodeAddresses {
  name: string;
  /** The node's InternalIP. */
  ip: string;
  /** A client address on this node that no pod uses (pods get low addresses first): `<pod /24>.<150 + k>`, k in 0..99. */
  client(k: number): string;
}

/** The cluster's nodes, in name order, from the API. */
export async function nodesOf(kl: Kubeloop): Promise<NodeAddresses[]> {
  const nodes = (await kl.client.nodes().list()).items.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  return nodes.map((n) => {
    const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (!ip) throw new Error(`node ${n.metadata.name} has no InternalIP`);
    const prefix = ip.split('.').slice(0, 3).join('.');
    const client = (k: number) => {
      if (!Number.isInteger(k) || k < 0 || k > 99) throw new Error(`client address index ${k}: expected 0..99`);
      return `${prefix}.${150 + k}`;
    };
    return { name: n.metadata.name, ip, client };
  });
}

/** Whether `host:port` accepts a TCP connection within a second. */
export function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(t);
      s.destroy();
      resolve(ok);
    };
    const t = setTimeout(() => done(false), 1000);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

const isReady = (p: Pod) => p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/**
 * Waits until `count` pods match `selector`, are Ready, and each accepts a TCP connection on
 * `podIP:port` (no request is sent through a Service before its backends listen).
 */
export async function waitServing(kl: Kubeloop, o: { selector: string; count: number; port: number; namespace?: string; timeoutMs?: number }): Promise<Pod[]> {
  return until(
    `${o.count} serving pods ${o.selector}`,
    async () => {
      const pods = (await kl.client.pods(o.namespace ?? 'default').list({ labelSelector: o.selector })).items.filter((p) => !p.metadata.deletionTimestamp);
      if (pods.length !== o.count || !pods.every(isReady)) return undefined;
      for (const p of pods) {
        const ip = p.status?.podIP;
        if (!ip || !(await accepts(ip, o.port))) return undefined;
      }
      return pods;
    },
    { timeoutMs: o.timeoutMs ?? 20_000 },
  );
}

/** Waits until a pod is Ready and returns it. */
export async function waitReady(kl: Kubeloop, name: string, o: { namespace?: string; timeoutMs?: number } = {}): Promise<Pod> {
  return until(`pod ${name} Ready`, async () => {
    const p = await kl.client.pods(o.namespace ?? 'default').get(name);
    return isReady(p) ? p : undefined;
  }, { timeoutMs: o.timeoutMs ?? 20_000 });
}

export interface SliceEndpoint {
  ip: string;
  port: number | undefined;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** The endpoints of a Service's EndpointSlices, sorted by address. */
export async function sliceEndpoints(kl: Kubeloop, service: string, namespace = 'default'): Promise<SliceEndpoint[]> {
  const slices: EndpointSlice[] = (await kl.client.endpointSlices(namespace).list({ labelSelector: `kubernetes.io/service-name=${service}` })).items;
  const out: SliceEndpoint[] = [];
  for (const s of slices) {
    for (const e of s.endpoints ?? []) {
      for (const ip of e.addresses) {
        out.push({ ip, port: s.ports?.[0]?.port ?? undefined, ready: e.conditions?.ready ?? false, serving: e.conditions?.serving ?? false, terminating: e.conditions?.terminating ?? false });
      }
    }
  }
  return out.sort((a, b) => (a.ip < b.ip ? -1 : 1));
}

/** Waits until `test` holds for the Service's slice endpoints; returns them. */
export async function waitSlices(kl: Kubeloop, service: string, test: (eps: SliceEndpoint[]) => boolean, o: { namespace?: string; timeoutMs?: number } = {}): Promise<SliceEndpoint[]> {
  return until(`EndpointSlices of ${service}`, async () => {
    const eps = await sliceEndpoints(kl, service, o.namespace);
    return test(eps) ? eps : undefined;
  }, { timeoutMs: o.timeoutMs ?? 15_000 });
}

/** A Service read through the API. */
export async function service(kl: Kubeloop, name: string, namespace = 'default'): Promise<Service> {
  return kl.client.services(namespace).get(name);
}

/** An agnhost pod (`args` picks the subcommand), optionally pinned to a node. */
export function agnhostPod(name: string, o: { labels: Record<string, string>; args: string[]; node?: string; port?: number; graceSeconds?: number; extra?: Partial<Pod['spec']['containers'][number]> }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: o.labels },
    spec: {
      ...(o.node ? { nodeName: o.node } : {}),
      ...(o.graceSeconds !== undefined ? { terminationGracePeriodSeconds: o.graceSeconds } : {}),
      containers: [
        {
          name: 'agnhost',
          image: 'registry.k8s.io/e2e-test-images/agnhost:2.52',
          args: o.args,
          ...(o.port ? { ports: [{ containerPort: o.port }] } : {}),
          ...(o.extra ?? {}),
        },
      ],
    },
  };
}

/** A busybox pod that sleeps, to run client commands in with `kubectl exec`. */
export function busyboxPod(name: string, o: { node?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { role: 'client' } },
    spec: {
      ...(o.node ? { nodeName: o.node } : {}),
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'busybox', image: 'busybox', command: ['sleep', '3600'] }],
    },
  };
}

/** A Service of `type` selecting `selector`, one port. */
export function serviceOf(name: string, o: { selector: Record<string, string>; port: number; targetPort: number; type?: Service['spec']['type']; spec?: Partial<Service['spec']>; labels?: Record<string, string> }): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', ...(o.labels ? { labels: o.labels } : {}) },
    spec: { type: o.type ?? 'ClusterIP', selector: o.selector, ports: [{ port: o.port, targetPort: o.targetPort }], ...(o.spec ?? {}) },
  };
}

/** Distinct values, sorted. */
export const distinct = (xs: readonly string[]): string[] => [...new Set(xs)].sort();
