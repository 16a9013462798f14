// The built-in LoadBalancer controller: gives every `type: LoadBalancer` Service without a
// loadBalancerClass an ingress IP from the pool (honouring spec.loadBalancerIP), writes it to
// status.loadBalancer.ingress, and releases it when the Service is deleted or stops being a
// LoadBalancer. Level-triggered: handlers enqueue keys, reconcile(key) reads the cache
// (STYLE.md 10); allocation state lives in memory and is rebuilt from Service status at start.
import { isConflict, isNotFound, objectKey, type Service, type Stored } from '../../api/index.js';
import { EventRecorder, Informer, runWorkers, WorkQueue, type Client, type ReconcileResult } from '../../client/index.js';
import { LoadBalancerPool } from './pool.js';

export interface LoadBalancerControllerOptions {
  client: Client;
  /** The pool, e.g. 127.250.0.0/24 (`--lb-cidr`). */
  cidr: string;
  log?: (line: Record<string, unknown>) => void;
  recorder?: EventRecorder;
  /** How long to wait before retrying a Service whose IP cannot be had (pool full, requested IP taken); default 30 s. */
  retryMs?: number;
}

export interface LoadBalancerAssignment {
  service: string;
  ip: string;
}

export interface RunningLoadBalancerController {
  /** Current assignments, sorted by IP. */
  assignments(): LoadBalancerAssignment[];
  stop(): Promise<void>;
}

/** Whether this controller is responsible for `svc`: the annotation-free default class only. */
export function managesService(svc: Service): boolean {
  return svc.spec.type === 'LoadBalancer' && !svc.spec.loadBalancerClass;
}

interface Assigned {
  ip: string;
  uid: string;
}

export class LoadBalancerController {
  private readonly pool: LoadBalancerPool;
  private readonly informer: Informer<Service>;
  private readonly queue = new WorkQueue<string>();
  private readonly assigned = new Map<string, Assigned>();
  private readonly recorder: EventRecorder;
  private readonly log: (line: Record<string, unknown>) => void;
  private workers: Promise<void> | undefined;

  constructor(private readonly o: LoadBalancerControllerOptions) {
    this.pool = new LoadBalancerPool(o.cidr);
    this.log = o.log ?? (() => {});
    this.recorder = o.recorder ?? new EventRecorder(o.client, { component: 'kubeloop-lb-controller', log: this.log });
    this.informer = new Informer<Service>(o.client.services(), { log: this.log });
    const enqueue = (s: Stored<Service>) => this.queue.add(objectKey(s));
    this.informer.addHandler({ onAdd: enqueue, onUpdate: (_a, b) => enqueue(b), onDelete: enqueue });
  }

  async start(): Promise<void> {
    await this.informer.start();
    this.repair();
    for (const k of this.informer.keys()) this.queue.add(k);
    this.workers = runWorkers({
      queue: this.queue,
      reconcile: (k) => this.reconcile(k),
      onError: (key, err, attempt) => this.log({ level: 'warn', msg: 'load balancer reconcile failed', service: key, attempt, error: err instanceof Error ? err.message : String(err) }),
    });
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    this.informer.stop();
    await this.workers;
  }

  assignments(): LoadBalancerAssignment[] {
    return [...this.assigned].map(([service, a]) => ({ service, ip: a.ip })).sort((a, b) => (a.ip < b.ip ? -1 : 1));
  }

  /** Re-reserves the IPs Services already show, so a restart keeps every address where it was. */
  private repair(): void {
    for (const svc of this.informer.list()) {
      if (!managesService(svc)) continue;
      const ip = svc.status?.loadBalancer?.ingress?.[0]?.ip;
      if (!ip || !this.pool.contains(ip)) continue;
      // A second Service showing the same IP loses it and is given another in reconcile.
      if (this.pool.allocate(ip).ok) this.assigned.set(objectKey(svc), { ip, uid: svc.metadata.uid });
    }
  }

  private release(key: string): void {
    const a = this.assigned.get(key);
    if (!a) return;
    this.pool.release(a.ip);
    this.assigned.delete(key);
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const svc = this.informer.get(key);
    let cur = this.assigned.get(key);
    if (cur && (!svc || svc.metadata.uid !== cur.uid || !managesService(svc))) {
      this.release(key);
      cur = undefined;
    }
    if (!svc) return;
    if (!managesService(svc)) {
      // A Service that stopped being ours keeps no ingress we wrote (the apiserver usually clears it).
      const ingress = svc.status?.loadBalancer?.ingress ?? [];
      if (!svc.spec.loadBalancerClass && ingress.some((i) => i.ip && this.pool.contains(i.ip))) {
        await this.writeStatus(svc, []);
      }
      return;
    }
    const requested = svc.spec.loadBalancerIP || undefined;
    if (cur && requested && cur.ip !== requested) {
      this.release(key);
      cur = undefined;
    }
    if (!cur) {
      const r = requested ? this.pool.allocate(requested) : this.pool.allocateNext();
      if (!r.ok) {
        const msg = requested ? `Cannot assign load balancer IP ${requested}: ${r.message}` : `Cannot assign a load balancer IP from ${this.pool.cidr}: ${r.message}`;
        void this.recorder.record(svc, 'Warning', 'AllocationFailed', msg);
        this.log({ level: 'warn', msg: 'load balancer IP not assigned', service: key, reason: r.message });
        return { requeueAfterMs: this.o.retryMs ?? 30_000 };
      }
      cur = { ip: r.ip, uid: svc.metadata.uid };
      this.assigned.set(key, cur);
      void this.recorder.record(svc, 'Normal', 'IPAllocated', `Assigned IP ["${r.ip}"]`);
    }
    const ingress = svc.status?.loadBalancer?.ingress ?? [];
    if (ingress.length !== 1 || ingress[0]?.ip !== cur.ip || ingress[0]?.ipMode !== 'VIP') {
      await this.writeStatus(svc, [{ ip: cur.ip, ipMode: 'VIP' }]);
    }
  }

  private async writeStatus(svc: Stored<Service>, ingress: { ip: string; ipMode: 'VIP' }[]): Promise<void> {
    const services = this.o.client.services(svc.metadata.namespace);
    try {
      await services.updateStatus({ ...svc, status: { ...(svc.status ?? {}), loadBalancer: ingress.length > 0 ? { ingress } : {} } });
    } catch (e) {
      if (isNotFound(e)) return; // deleted meanwhile: the delete event releases the IP
      if (isConflict(e)) {
        // Our cache is behind; the update event that follows re-queues the key.
        throw new Error(`Cannot update status of service ${objectKey(svc)}: the object has been modified`);
      }
      throw e;
    }
  }
}

/** Starts the controller; resolves once it has synced and repaired its pool. */
export async function startLoadBalancerController(o: LoadBalancerControllerOptions): Promise<RunningLoadBalancerController> {
  const c = new LoadBalancerController(o);
  await c.start();
  return { assignments: () => c.assignments(), stop: () => c.stop() };
}
