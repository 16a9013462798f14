// The seam between the proxy pipeline and a data plane (STYLE.md 8, 14). A data plane receives
// the complete desired state on every sync (level-triggered) and makes the machine forward
// exactly that. `userspace/` implements it now; `nftables/` will implement it later and must pass
// the same conformance suite (conformance.ts).
import type { Clock } from '../../client/index.js';
import type { NodeIndex } from '../nodes.js';
import type { EndpointInfo, ServicePortInfo } from '../types.js';

/** A service port with all of its endpoints (categorisation is the data plane's job, via topology.ts). */
export interface ServicePortState extends ServicePortInfo {
  endpoints: readonly EndpointInfo[];
}

export interface DesiredState {
  servicePorts: readonly ServicePortState[];
}

/** How an address:port reaches a service port. */
export type FrontendKind = 'ClusterIP' | 'ExternalIP' | 'LoadBalancer' | 'NodePort';

/** One address:port/protocol a service port should be reachable on. */
export interface Frontend {
  kind: FrontendKind;
  address: string;
  port: number;
  protocol: ServicePortInfo['protocol'];
  /** For NodePort: the node owning `address`. */
  node?: string;
}

/** Why an address could not be served. */
export interface UnservedPort {
  servicePortId: string;
  service: ServicePortInfo['service'];
  frontend: Frontend;
  /** errno-style code: EACCES, EADDRINUSE, EADDRNOTAVAIL, CONFLICT (another service port claims it), UNSUPPORTED (protocol). */
  code: string;
  message: string;
}

export interface SyncReport {
  unserved: UnservedPort[];
}

/** Live counters of one endpoint of one service port. */
export interface EndpointStats {
  endpoint: string;
  nodeName: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** Whether new connections may be routed to it for Cluster policy (false for a draining, removed endpoint). */
  inUse: boolean;
  /** Removed from the Service but still carrying connections. */
  removed: boolean;
  activeConnections: number;
  totalConnections: number;
  /** Client → endpoint bytes. */
  bytesIn: number;
  /** Endpoint → client bytes. */
  bytesOut: number;
  /** Dial attempts that failed (refused, timed out). */
  dialFailures: number;
}

export interface AffinityEntry {
  clientIP: string;
  endpoint: string;
  /** Milliseconds until the entry expires (clock time). */
  remainingMs: number;
}

export interface FrontendStatus extends Frontend {
  /** listening: accepting; rejecting: not listening on purpose (no endpoints → refused); unserved: wanted but failed. */
  state: 'listening' | 'rejecting' | 'unserved';
  error?: string;
}

export interface ServicePortStats {
  servicePortId: string;
  namespace: string;
  name: string;
  portName: string;
  protocol: ServicePortInfo['protocol'];
  frontends: FrontendStatus[];
  endpoints: EndpointStats[];
  affinity: AffinityEntry[];
  /** Connections answered by the proxy with a reset because every endpoint tried failed. */
  refused: number;
  /** Connections held without an answer because a Local policy left no endpoint (DROP). */
  dropped: number;
}

/** A process forwarding for the data plane, when it runs several (userspace `workers`). */
export interface DataPlaneWorker {
  pid: number | undefined;
  state: 'starting' | 'ready' | 'restarting' | 'stopped';
  /** Times it was restarted after its process ended. */
  restarts: number;
  /** Connections accepted by its current process. */
  accepted: number;
}

export interface DataPlaneSnapshot {
  servicePorts: ServicePortStats[];
  unserved: UnservedPort[];
  workers?: DataPlaneWorker[];
}

export interface DataPlaneOptions {
  nodes: NodeIndex;
  clock: Clock;
  /** Uniform in [0, 1); injected so tests can make choices repeatable. */
  random: () => number;
  log: (line: Record<string, unknown>) => void;
}

export interface DataPlane {
  readonly name: string;
  /** Makes the data plane serve exactly `state`; resolves when it does. Never rejects for one bad port: those are in the report. */
  sync(state: DesiredState): Promise<SyncReport>;
  /** Live counters and tables for the dashboard and /metrics (gathered from every forwarding process). */
  snapshot(): Promise<DataPlaneSnapshot>;
  /** Stops serving; established connections are closed. */
  stop(): Promise<void>;
}

export type DataPlaneFactory = (o: DataPlaneOptions) => DataPlane;

/** The frontends a service port wants, given the node addresses NodePorts are served on. */
export function frontendsOf(sp: ServicePortInfo, nodes: NodeIndex): Frontend[] {
  const out: Frontend[] = [{ kind: 'ClusterIP', address: sp.clusterIP, port: sp.port, protocol: sp.protocol }];
  for (const ip of sp.externalIPs) out.push({ kind: 'ExternalIP', address: ip, port: sp.port, protocol: sp.protocol });
  for (const ip of sp.loadBalancerIPs) out.push({ kind: 'LoadBalancer', address: ip, port: sp.port, protocol: sp.protocol });
  if (sp.nodePort > 0) {
    for (const { node, ip } of nodes.nodeAddresses()) out.push({ kind: 'NodePort', address: ip, port: sp.nodePort, protocol: sp.protocol, node });
  }
  return out;
}
