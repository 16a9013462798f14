// Shared informers: one list/watch cache per resource for every controller in the process, so a
// Pod update is decoded and cached once however many controllers look at it. Controllers register
// handlers and indexes before `start()`; workers start only after every cache has synced.
import {
  objectKey,
  resourceTypes,
  type Deployment,
  type Endpoints,
  type EndpointSlice,
  type KubeObject,
  type Namespace,
  type Node,
  type Pod,
  type ReplicaSet,
  type ResourceType,
  type Service,
  type Stored,
} from '../api/index.js';
import { Informer, byNamespace, type Client, type Clock } from '../client/index.js';

export type Log = (line: Record<string, unknown>) => void;

/** Index names every informer of this set carries. */
export const NAMESPACE_INDEX = 'namespace';
export const UID_INDEX = 'uid';
/** Values: the uids of the object's owners (any ownerReference, controller or not). */
export const OWNER_INDEX = 'owner';

export interface SharedInformersOptions {
  clock?: Clock;
  log?: Log;
  /** Re-deliver every cached object as an update this often (ms); 0 (default) disables. */
  resyncMs?: number;
}

export class SharedInformers {
  private readonly byPlural = new Map<string, Informer<KubeObject>>();
  private readonly started = new Set<string>();
  private readonly indexes = new Set<string>();
  private stopped = false;

  constructor(
    readonly client: Client,
    private readonly o: SharedInformersOptions = {},
  ) {}

  /** The informer for a resource, created on first use (not started until `start()`). */
  forType<T extends KubeObject>(type: ResourceType): Informer<T> {
    let inf = this.byPlural.get(type.plural);
    if (!inf) {
      inf = new Informer<KubeObject>(this.client.resource<KubeObject>(type), {
        ...(this.o.clock ? { clock: this.o.clock } : {}),
        ...(this.o.log ? { log: this.o.log } : {}),
        ...(this.o.resyncMs ? { resyncMs: this.o.resyncMs } : {}),
      });
      if (type.namespaced) inf.addIndex(NAMESPACE_INDEX, byNamespace);
      inf.addIndex(UID_INDEX, (o) => [o.metadata.uid]);
      inf.addIndex(OWNER_INDEX, (o) => (o.metadata.ownerReferences ?? []).map((r) => r.uid));
      this.byPlural.set(type.plural, inf);
    }
    return inf as unknown as Informer<T>;
  }

  pods = () => this.forType<Pod>(resourceTypes.pods);
  nodes = () => this.forType<Node>(resourceTypes.nodes);
  services = () => this.forType<Service>(resourceTypes.services);
  endpoints = () => this.forType<Endpoints>(resourceTypes.endpoints);
  endpointSlices = () => this.forType<EndpointSlice>(resourceTypes.endpointslices);
  replicaSets = () => this.forType<ReplicaSet>(resourceTypes.replicasets);
  deployments = () => this.forType<Deployment>(resourceTypes.deployments);
  namespaces = () => this.forType<Namespace>(resourceTypes.namespaces);

  /** Adds an index once per informer, whichever controller asks first. */
  ensureIndex<T extends KubeObject>(inf: Informer<T>, index: { name: string; by: (o: Stored<T>) => string[] }): void {
    const id = `${inf.resource}/${index.name}`;
    if (this.indexes.has(id)) return;
    this.indexes.add(id);
    inf.addIndex(index.name, index.by);
  }

  /** The informers created so far, by plural. */
  get all(): ReadonlyMap<string, Informer<KubeObject>> {
    return this.byPlural;
  }

  /** Starts every informer not yet started and resolves once all of them have synced. */
  async start(): Promise<void> {
    if (this.stopped) throw new Error('Cannot start informers: already stopped');
    const waits: Promise<void>[] = [];
    for (const [plural, inf] of this.byPlural) {
      if (this.started.has(plural)) {
        waits.push(inf.waitForSync());
        continue;
      }
      this.started.add(plural);
      waits.push(inf.start());
    }
    await Promise.all(waits);
  }

  stop(): void {
    this.stopped = true;
    for (const inf of this.byPlural.values()) inf.stop();
  }
}

/** The objects of one namespace from an informer carrying the namespace index. */
export function inNamespace<T extends KubeObject>(inf: Informer<T>, namespace: string): Stored<T>[] {
  return inf.byIndex(NAMESPACE_INDEX, namespace);
}

/** The key an object is cached and queued under (`namespace/name`). */
export { objectKey };

/**
 * Starts one controller on its own: with the shared informers it is given, or with informers of
 * its own (started here and stopped with it). The controller's workers start after the sync.
 */
export async function startStandalone<C extends { readonly name: string; run(): void; stop(): Promise<void> }, O extends { client: Client; informers?: SharedInformers; clock?: Clock; log?: Log }>(
  o: O,
  make: (o: O & { informers: SharedInformers }) => C,
): Promise<C> {
  const own = !o.informers;
  const informers = o.informers ?? new SharedInformers(o.client, { ...(o.clock ? { clock: o.clock } : {}), ...(o.log ? { log: o.log } : {}) });
  const c = make({ ...o, informers });
  await informers.start();
  c.run();
  const stopController = c.stop.bind(c);
  return Object.assign(c, {
    async stop() {
      await stopController();
      if (own) informers.stop();
    },
  });
}
