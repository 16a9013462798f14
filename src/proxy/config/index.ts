// config/: typed event handlers fed by informers (upstream pkg/proxy/config). One generic adapter
// turns an Informer's callbacks into a handler interface with an explicit "synced" signal, so the
// proxy knows when its first view of the world is complete. Written once for every kind, not
// once per kind as upstream's config.go does.
import type { EndpointSlice, KubeObject, Service, Stored } from '../../api/index.js';
import type { Informer } from '../../client/index.js';

export interface ResourceHandler<T> {
  onAdd(obj: T): void;
  onUpdate(old: T, cur: T): void;
  onDelete(obj: T): void;
  /** Called once, after the initial list has been delivered as adds. */
  onSynced(): void;
}

export type ServiceHandler = ResourceHandler<Stored<Service>>;
export type EndpointSliceHandler = ResourceHandler<Stored<EndpointSlice>>;

/** Delivers an informer's events to registered handlers. */
export class ResourceConfig<T extends KubeObject> {
  private readonly handlers: ResourceHandler<Stored<T>>[] = [];

  constructor(private readonly informer: Informer<T>) {
    informer.addHandler({
      onAdd: (o) => this.handlers.forEach((h) => h.onAdd(o)),
      onUpdate: (a, b) => this.handlers.forEach((h) => h.onUpdate(a, b)),
      onDelete: (o) => this.handlers.forEach((h) => h.onDelete(o)),
    });
  }

  registerEventHandler(h: ResourceHandler<Stored<T>>): void {
    this.handlers.push(h);
  }

  /** Starts the informer; resolves after the initial list was delivered and onSynced called. */
  async run(): Promise<void> {
    await this.informer.start();
    for (const h of this.handlers) h.onSynced();
  }

  stop(): void {
    this.informer.stop();
  }
}

export class ServiceConfig extends ResourceConfig<Service> {}
export class EndpointSliceConfig extends ResourceConfig<EndpointSlice> {}
