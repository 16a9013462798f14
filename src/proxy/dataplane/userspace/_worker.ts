// A forwarding worker of the userspace data plane: a cluster worker forked by _pool.ts. It serves
// the TCP listeners the main process tells it to, on listening sockets shared with the other
// workers (cluster SCHED_NONE: every worker accepts on the same socket), with its own copy of the
// service port runtimes. Sticky service ports ask the main process for each pick. It exits when
// the main process goes away (cluster does that on the IPC channel's disconnect), so it never
// outlives kubeloop, even after a SIGKILL.
import cluster from 'node:cluster';
import type { Socket } from 'node:net';
import { NodeIndex } from '../../nodes.js';
import { ListenerSet, describeListenError, type ListenerTarget } from './_listeners.js';
import { isToWorker, type FromWorker, type ToWorker, type WorkerConfig, type WorkerStats } from './_protocol.js';
import { ServicePortRuntime, type TcpConn } from './_serviceport.js';
import { DialDeadlines, TcpFrontend, type RemotePickResult, type TcpContext } from './_tcp.js';

if (!cluster.isWorker || !process.send) {
  process.stderr.write('kubeloop proxy worker: must be started by the userspace data plane (cluster.fork)\n');
  process.exit(2);
}

const send = (m: FromWorker): void => {
  // A send racing the main process's exit fails; the disconnect then ends this process.
  if (process.connected) process.send?.(m, undefined, undefined, () => {});
};

const ports = new Map<string, ServicePortRuntime>();
const held = new Set<Socket>();
const conns = new Set<TcpConn>();
const pending = new Map<number, (r: RemotePickResult) => void>();
let nextPick = 1;
let accepted = 0;
let sourceFallbacks = 0;
let nodes: NodeIndex | undefined;
let listeners: ListenerSet | undefined;
/** States are applied one after the other (an apply waits for its listens). */
let applying: Promise<void> = Promise.resolve();

function init(c: WorkerConfig): void {
  nodes = new NodeIndex(c.nodes);
  const ctx: TcpContext = {
    forwarding: c.forwarding,
    dials: new DialDeadlines(c.dialTimeoutMs),
    maxDialAttempts: c.maxDialAttempts,
    dropHoldMs: c.dropHoldMs,
    bindClientSource: c.bindClientSource,
    held,
    conns,
    onSourceFallback: () => sourceFallbacks++,
    onAccept: () => accepted++,
    remotePick: (p) =>
      new Promise((resolve) => {
        const id = nextPick++;
        pending.set(id, resolve);
        send({ t: 'pick', id, servicePortId: p.servicePortId, kind: p.kind, node: p.node ?? null, clientIP: p.clientIP, exclude: p.exclude });
      }),
  };
  listeners = new ListenerSet((t: ListenerTarget) => new TcpFrontend(t.frontend, t.rt, ctx));
}

async function applyState(m: Extract<ToWorker, { t: 'state' }>): Promise<void> {
  if (!nodes || !listeners) {
    // Cannot happen (init comes first on the ordered channel); ack so the sync does not hang.
    send({ t: 'log', line: { level: 'error', msg: 'proxy worker got a state before its configuration' } });
    return send({ t: 'synced', seq: m.seq, failed: [] });
  }
  // Runtimes, then listeners, in one turn of the event loop: no connection is accepted in between.
  const upserted = new Set<string>();
  for (const sp of m.upsert) {
    upserted.add(sp.id);
    const rt = ports.get(sp.id);
    if (rt) rt.update(sp);
    else ports.set(sp.id, new ServicePortRuntime(sp, nodes, Date.now, Math.random, false));
  }
  if (m.full) {
    for (const id of [...ports.keys()]) if (!upserted.has(id)) ports.delete(id);
  } else for (const id of m.remove) ports.delete(id);
  const desired = new Map<string, ListenerTarget>();
  for (const l of m.listeners) {
    const rt = ports.get(l.servicePortId);
    if (rt) desired.set(l.key, { frontend: l.frontend, rt });
  }
  const failures = await listeners.apply(desired);
  send({
    t: 'synced',
    seq: m.seq,
    failed: failures.map((f) => ({ key: f.key, code: f.error.code ?? 'ERROR', message: describeListenError(f.error, f.target.frontend) })),
  });
}

function stats(): WorkerStats {
  return {
    accepted,
    sourceFallbacks,
    ports: [...ports.values()].map((rt) => ({
      servicePortId: rt.state.id,
      refused: rt.refused,
      dropped: rt.dropped,
      endpoints: rt.allEndpoints().map((e) => e.stats(rt.inUse(e))),
    })),
  };
}

process.on('message', (m: unknown) => {
  if (!isToWorker(m)) return;
  switch (m.t) {
    case 'init':
      init(m.config);
      return;
    case 'state':
      applying = applying.then(() =>
        applyState(m).catch((e: unknown) => {
          send({ t: 'log', line: { level: 'error', msg: 'proxy worker cannot apply a state', error: e instanceof Error ? e.message : String(e) } });
          send({ t: 'synced', seq: m.seq, failed: [] });
        }),
      );
      return;
    case 'picked': {
      const resolve = pending.get(m.id);
      pending.delete(m.id);
      resolve?.(m.drop ? { drop: true } : { drop: false, endpoint: m.endpoint ?? undefined });
      return;
    }
    case 'stats':
      send({ t: 'stats', id: m.id, stats: stats() });
      return;
    case 'stop':
      // Everything this process holds (listeners, connections, DROP-held sockets) closes with it.
      process.exit(0);
  }
});

send({ t: 'ready' });
