// The userspace data plane's runtime state of one service port: its endpoints with live counters,
// the categorised endpoint sets, the affinity table, and the routing decision for a new
// connection. Listeners hold a reference to this object; syncs update it in place. A forwarding
// worker keeps one too, but without the affinity table: the main process holds the only one.
import type { Socket } from 'node:net';
import { categorizeEndpoints } from '../../topology.js';
import { endpointKey, type EndpointInfo } from '../../types.js';
import type { NodeIndex } from '../../nodes.js';
import type { EndpointStats, FrontendKind, ServicePortState } from '../types.js';
import { AffinityTable } from './affinity.js';

/** A live TCP connection through the proxy (for live byte counts and shutdown). */
export interface TcpConn {
  client: Socket;
  upstream: Socket;
}

export class EndpointRuntime implements EndpointInfo {
  readonly key: string;
  readonly ip: string;
  readonly port: number;
  nodeName: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  removed = false;
  active = 0;
  total = 0;
  /** Bytes of finished connections and UDP datagrams; live TCP bytes are read from `conns`. */
  bytesIn = 0;
  bytesOut = 0;
  dialFailures = 0;
  readonly conns = new Set<TcpConn>();

  constructor(e: EndpointInfo) {
    this.key = endpointKey(e);
    this.ip = e.ip;
    this.port = e.port;
    this.nodeName = e.nodeName;
    this.ready = e.ready;
    this.serving = e.serving;
    this.terminating = e.terminating;
  }

  update(e: EndpointInfo): void {
    this.nodeName = e.nodeName;
    this.ready = e.ready;
    this.serving = e.serving;
    this.terminating = e.terminating;
  }

  stats(inUse: boolean): EndpointStats {
    let bytesIn = this.bytesIn;
    let bytesOut = this.bytesOut;
    for (const c of this.conns) {
      bytesIn += c.client.bytesRead;
      bytesOut += c.upstream.bytesRead;
    }
    return {
      endpoint: this.key,
      nodeName: this.nodeName,
      ready: this.ready,
      serving: this.serving,
      terminating: this.terminating,
      inUse,
      removed: this.removed,
      activeConnections: this.active,
      totalConnections: this.total,
      bytesIn,
      bytesOut,
      dialFailures: this.dialFailures,
    };
  }
}

export class ServicePortRuntime {
  state: ServicePortState;
  readonly endpoints = new Map<string, EndpointRuntime>();
  /** Removed endpoints that still carry connections; dropped from here when the last one closes. */
  readonly draining = new Map<string, EndpointRuntime>();
  cluster: EndpointRuntime[] = [];
  localByNode = new Map<string, EndpointRuntime[]>();
  /** Union of every node's local set: where external traffic goes under externalTrafficPolicy Local. */
  externalLocal: EndpointRuntime[] = [];
  hasAnyEndpoints = false;
  /** ClientIP affinity is on (affinityTimeoutSeconds > 0). */
  sticky = false;
  /** The affinity table, when this process owns it (see `ownsAffinity`). */
  affinity: AffinityTable | undefined;
  refused = 0;
  dropped = 0;

  constructor(
    state: ServicePortState,
    private readonly nodes: NodeIndex,
    private readonly now: () => number,
    private readonly random: () => number,
    /** False in a forwarding worker: sticky connections are routed by the process holding the table. */
    private readonly ownsAffinity = true,
  ) {
    this.state = state;
    this.update(state);
  }

  /** Applies a new desired state: endpoints, categories, affinity on/off and clean-up. */
  update(state: ServicePortState): void {
    this.state = state;
    // Rebuilt in the state's (sorted) order so candidate order, and thus a seeded choice, is stable.
    const previous = new Map(this.endpoints);
    this.endpoints.clear();
    for (const e of state.endpoints) {
      const k = endpointKey(e);
      const cur = previous.get(k) ?? this.draining.get(k);
      previous.delete(k);
      if (cur) {
        cur.update(e);
        cur.removed = false;
        this.draining.delete(k);
        this.endpoints.set(k, cur);
      } else this.endpoints.set(k, new EndpointRuntime(e));
    }
    for (const [k, ep] of previous) {
      ep.removed = true;
      if (ep.active > 0) this.draining.set(k, ep);
    }
    const cat = categorizeEndpoints([...this.endpoints.values()]);
    this.cluster = cat.cluster;
    this.localByNode = cat.localByNode;
    this.externalLocal = [...cat.localByNode.values()].flat();
    this.hasAnyEndpoints = cat.hasAnyEndpoints;

    const timeoutMs = state.affinityTimeoutSeconds * 1000;
    this.sticky = timeoutMs > 0;
    if (timeoutMs <= 0 || !this.ownsAffinity) this.affinity = undefined;
    else {
      if (!this.affinity) this.affinity = new AffinityTable(timeoutMs, this.now);
      this.affinity.timeoutMs = timeoutMs;
      // An endpoint that is no longer usable by anyone takes its clients' affinity with it.
      const usable = new Set<string>([...this.cluster, ...this.externalLocal].map((e) => e.key));
      this.affinity.retainEndpoints(usable);
      this.affinity.sweep();
    }
  }

  /** Called when an endpoint's last connection closes. */
  released(ep: EndpointRuntime): void {
    if (ep.removed && ep.active === 0) this.draining.delete(ep.key);
  }

  /**
   * The endpoints a new connection from `clientIP` arriving through a frontend of `kind` may use
   * (reference §4.4). An empty list means DROP: the service has endpoints, but none for this client.
   */
  candidates(kind: FrontendKind, frontendNode: string | undefined, clientIP: string): EndpointRuntime[] {
    // The common case (Cluster policy) needs no lookup of the client's node.
    if (kind === 'ClusterIP') {
      if (this.state.internalTrafficPolicy === 'Cluster') return this.cluster;
      const node = this.nodes.nodeOf(clientIP);
      return node === undefined ? [] : (this.localByNode.get(node) ?? []);
    }
    if (this.state.externalTrafficPolicy === 'Cluster') return this.cluster;
    const clientNode = this.nodes.nodeOf(clientIP);
    // Traffic that starts on the receiving node (its pods, its host) is short-circuited to the
    // cluster set, as upstream does for pod and host-originated traffic.
    if (kind === 'NodePort') {
      if (clientNode !== undefined && clientNode === frontendNode) return this.cluster;
      return frontendNode === undefined ? [] : (this.localByNode.get(frontendNode) ?? []);
    }
    // External and LoadBalancer IPs belong to no node here: cluster clients are short-circuited;
    // an outside client is balanced over the endpoints local to their nodes, like a load balancer
    // that only sends to nodes passing the health check.
    if (clientNode !== undefined) return this.cluster;
    return this.externalLocal;
  }

  /**
   * Picks an endpoint among `cands` for `clientIP`, skipping `exclude`: the affinity endpoint if
   * it is a candidate, else uniformly at random. Records affinity for the choice.
   */
  pick(cands: readonly EndpointRuntime[], clientIP: string, exclude?: ReadonlySet<EndpointRuntime>): EndpointRuntime | undefined {
    let choice: EndpointRuntime | undefined;
    const bound = this.affinity?.lookup(clientIP);
    if (bound !== undefined) {
      for (const c of cands) if (c.key === bound && !exclude?.has(c)) choice = c;
    }
    if (!choice) {
      const pool = exclude && exclude.size > 0 ? cands.filter((c) => !exclude.has(c)) : cands;
      if (pool.length === 0) return undefined;
      choice = pool[Math.min(pool.length - 1, Math.floor(this.random() * pool.length))];
    }
    if (choice) this.affinity?.record(clientIP, choice.key);
    return choice;
  }

  /** All endpoint runtimes, current and draining. */
  allEndpoints(): EndpointRuntime[] {
    return [...this.endpoints.values(), ...this.draining.values()];
  }

  /** Whether `ep` is in some usable set. */
  inUse(ep: EndpointRuntime): boolean {
    return !ep.removed && (this.cluster.includes(ep) || this.externalLocal.includes(ep));
  }
}
