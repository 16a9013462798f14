// Messages between the main process (_pool.ts) and a forwarding worker (_worker.ts), over the
// worker's IPC channel (JSON). The channel is ordered, and the protocols rely on it:
//   - state: a worker applies states in order and acks each one after its listeners are closed
//     and opened; cluster's own "close" notices for the shared sockets travel before the ack.
//   - pick: an answer is sent after every state the main process had applied when computing it,
//     so the endpoint it names is known to the worker when the answer arrives.
import type { NodeInfo } from '../../types.js';
import type { EndpointStats, Frontend, FrontendKind, ServicePortState } from '../types.js';

/** What a worker needs besides the states; sent once, right after it says it is ready. */
export interface WorkerConfig {
  nodes: NodeInfo[];
  forwarding: 'copy' | 'pipe';
  dialTimeoutMs: number;
  maxDialAttempts: number;
  dropHoldMs: number;
  bindClientSource: boolean;
}

/** One listener a worker should have. */
export interface ListenerSpec {
  key: string;
  frontend: Frontend;
  servicePortId: string;
}

export interface ListenFailureReport {
  key: string;
  code: string;
  message: string;
}

export interface PortCounters {
  servicePortId: string;
  refused: number;
  dropped: number;
  /** Current and draining endpoints, with this worker's counters. */
  endpoints: EndpointStats[];
}

export interface WorkerStats {
  accepted: number;
  sourceFallbacks: number;
  ports: PortCounters[];
}

export type ToWorker =
  | { t: 'init'; config: WorkerConfig }
  /** `full`: `upsert` is every service port (ports not in it are dropped); else a change set. */
  | { t: 'state'; seq: number; full: boolean; upsert: ServicePortState[]; remove: string[]; listeners: ListenerSpec[] }
  | { t: 'picked'; id: number; drop: boolean; endpoint: string | null }
  | { t: 'stats'; id: number }
  | { t: 'stop' };

export type FromWorker =
  | { t: 'ready' }
  | { t: 'synced'; seq: number; failed: ListenFailureReport[] }
  | { t: 'pick'; id: number; servicePortId: string; kind: FrontendKind; node: string | null; clientIP: string; exclude: string[] }
  | { t: 'stats'; id: number; stats: WorkerStats }
  | { t: 'log'; line: Record<string, unknown> };

const tagged = (m: unknown): m is { t: string } => typeof m === 'object' && m !== null && typeof (m as { t?: unknown }).t === 'string';

/** Messages come from our own worker script; the tag is checked, the rest trusted. */
export const isFromWorker = (m: unknown): m is FromWorker => tagged(m);
export const isToWorker = (m: unknown): m is ToWorker => tagged(m);
