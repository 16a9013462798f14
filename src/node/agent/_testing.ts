// Helpers for this folder's tests: a node agent on an in-memory API with real processes, pod
// builders, waits bounded in time, /proc checks for processes left behind, and a local HTTP
// server in front of `agent.logs`.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStatusError, type Container, type Event, type Pod, type Stored } from '../../api/index.js';
import type { Client } from '../../client/index.js';
import { eventually, memoryApi, type MemoryApi } from '../../testing/index.js';
import { startNodeAgent, type NodeAgent, type NodeAgentOptions } from './agent.js';

export const isRoot = process.getuid?.() === 0;

export interface Harness {
  api: MemoryApi;
  client: Client;
  agent: NodeAgent;
  nodeName: string;
  nodeIP: string;
  dataDir: string;
  log: Record<string, unknown>[];
  /** Stops the agent and starts a new one on the same API and data dir (a kubeloop restart). */
  restart(extra?: Partial<NodeAgentOptions>): Promise<NodeAgent>;
  create(name: string, spec: Partial<Pod['spec']> & { containers: Container[] }, meta?: Partial<Pod['metadata']>): Promise<Stored<Pod>>;
  get(name: string): Promise<Stored<Pod>>;
  waitFor(name: string, what: string, pred: (p: Stored<Pod>) => boolean, timeoutMs?: number): Promise<Stored<Pod>>;
  waitGone(name: string, timeoutMs?: number): Promise<void>;
  events(name: string): Promise<Event[]>;
  /** GET the pod's logs through agent.logs over real HTTP. */
  logs(name: string, query?: Record<string, string>): Promise<{ status: number; body: string }>;
  /** The same, as a stream (for follow). */
  logStream(name: string, query?: Record<string, string>): Promise<IncomingMessage>;
  close(): Promise<void>;
}

/** A node agent for test file number `octet` (node IP 127.244.<octet>.1, pods 127.244.<octet>.0/24). */
export async function startHarness(octet: number, extra: Partial<NodeAgentOptions> = {}): Promise<Harness> {
  const api = await memoryApi();
  const dataDir = mkdtempSync(join(tmpdir(), `kubeloop-agent-${octet}-`));
  const nodeName = `test-node-${octet}`;
  const nodeIP = `127.244.${octet}.1`;
  const log: Record<string, unknown>[] = [];
  const options = (more: Partial<NodeAgentOptions>): NodeAgentOptions => ({
    client: api.client,
    nodeName,
    nodeIP,
    podCIDR: `127.244.${octet}.0/24`,
    dataDir,
    clusterDNS: '127.96.0.10',
    log: (l) => {
      log.push(l);
      if (process.env['KUBELOOP_TEST_LOG']) process.stderr.write(`${JSON.stringify(l)}\n`);
    },
    shutdownGracePeriodMs: 200,
    ...extra,
    ...more,
  });
  let agent = await startNodeAgent(options({}));
  let server: Server | undefined;
  const logServer = async (): Promise<number> => {
    if (!server) {
      server = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        const name = url.pathname.slice(1);
        url.searchParams.delete('_');
        void (async () => {
          try {
            const pod = await api.client.pods('default').get(name);
            await h.agent.logs(pod, url.searchParams, res);
          } catch (e) {
            if (res.headersSent) return void res.destroy();
            res.writeHead(isStatusError(e) ? e.status.code : 500, { 'Content-Type': 'text/plain' });
            res.end(e instanceof Error ? e.message : String(e));
          }
        })();
      });
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    }
    return (server.address() as AddressInfo).port;
  };
  const open = async (name: string, query: Record<string, string>): Promise<IncomingMessage> => {
    const port = await logServer();
    const qs = new URLSearchParams(query).toString();
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: `/${name}${qs ? `?${qs}` : ''}`, agent: false }, resolve);
      req.on('error', reject);
      req.end();
    });
  };
  const h: Harness = {
    api,
    client: api.client,
    get agent() {
      return agent;
    },
    nodeName,
    nodeIP,
    dataDir,
    log,
    async restart(more = {}) {
      await agent.stop();
      agent = await startNodeAgent(options(more));
      return agent;
    },
    create: (name, spec, meta = {}) =>
      api.client.pods('default').create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...meta }, spec: { nodeName, ...spec } }),
    get: (name) => api.client.pods('default').get(name),
    waitFor: (name, what, pred, timeoutMs = 15_000) =>
      eventually(
        async () => {
          const p = await api.client.pods('default').get(name);
          return pred(p) ? p : undefined;
        },
        { timeoutMs, intervalMs: 25, message: `pod ${name}: ${what}` },
      ),
    waitGone: async (name, timeoutMs = 15_000) => {
      await eventually(
        async () => {
          try {
            await api.client.pods('default').get(name);
            return false;
          } catch {
            return true;
          }
        },
        { timeoutMs, intervalMs: 25, message: `pod ${name} removed` },
      );
    },
    events: async (name) => (await api.client.events('default').list()).items.filter((e) => e.involvedObject.name === name),
    async logs(name, query = {}) {
      const res = await open(name, query);
      let body = '';
      for await (const c of res) body += String(c);
      return { status: res.statusCode ?? 0, body };
    },
    logStream: (name, query = {}) => open(name, query),
    async close() {
      await agent.stop();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

export const running = (p: Pod): boolean => p.status?.phase === 'Running';
export const ready = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
export const phase = (want: string) => (p: Pod): boolean => p.status?.phase === want;
export const containerState = (p: Pod, name = 'app') => p.status?.containerStatuses?.find((c) => c.name === name);

// ------------------------------------------------------------------ processes

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      for (const c of readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/)) if (c) out.push(Number(c));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Live descendants of this process (what the agent started and did not clean up). */
export function liveDescendants(): number[] {
  const out: number[] = [];
  let frontier = [process.pid];
  for (let depth = 0; depth < 32 && frontier.length > 0; depth++) {
    const next = frontier.flatMap(childrenOf);
    out.push(...next);
    frontier = next;
  }
  return out.filter(isAlive);
}

/** Live processes whose environment contains `NAME=value` (pods get a marker variable). */
export function processesWithEnv(entry: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, 'latin1').split('\0');
      if (env.includes(entry) && isAlive(Number(name))) out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

export function killAll(pids: readonly number[]): void {
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** HTTP GET with a bounded wait; resolves with the status and body. */
export function httpGet(url: string, timeoutMs = 3000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
