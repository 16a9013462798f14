// Informers: list, then watch from the list's resourceVersion, keeping a local cache and telling
// handlers what changed. A watch that ends is resumed from the last seen resourceVersion; a 410
// relists; errors back off and retry. An informer never stops silently: failures are logged and
// retried until stop().
import { objectKey, type KubeObject, type Stored } from '../api/index.js';
import type { ResourceClient } from './client.js';
import { realClock, type Clock } from './workqueue.js';

export interface InformerHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(old: T, cur: T): void;
  onDelete?(obj: T): void;
}

export interface InformerOptions {
  labelSelector?: string;
  fieldSelector?: string;
  clock?: Clock;
  log?: (line: Record<string, unknown>) => void;
  /** Watch timeout before a routine re-watch (seconds); default 300–600 randomised. */
  watchTimeoutSeconds?: number;
  /** Re-deliver every cached object as an update this often (ms); 0 disables. */
  resyncMs?: number;
}

type Indexer<T> = (obj: T) => string[];

export class Informer<T extends KubeObject> {
  private readonly items = new Map<string, Stored<T>>();
  private readonly handlers: InformerHandlers<Stored<T>>[] = [];
  private readonly indexers = new Map<string, Indexer<Stored<T>>>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  private readonly clock: Clock;
  private stopped = false;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private stopCurrent: (() => void) | undefined;
  private rv = '';
  private resyncTimer: { cancel(): void } | undefined;

  constructor(
    private readonly rc: ResourceClient<T>,
    private readonly o: InformerOptions = {},
  ) {
    this.clock = o.clock ?? realClock;
  }

  get resource(): string {
    return this.rc.type.plural;
  }

  addHandler(h: InformerHandlers<Stored<T>>): void {
    this.handlers.push(h);
    // A late handler sees the current state as adds, like client-go.
    if (this.synced) for (const obj of this.items.values()) h.onAdd?.(obj);
  }

  /** Adds an index; `byIndex(name, value)` returns the objects whose `fn` yields `value`. */
  addIndex(name: string, fn: Indexer<Stored<T>>): void {
    this.indexers.set(name, fn);
    const idx = new Map<string, Set<string>>();
    this.indexes.set(name, idx);
    for (const [k, obj] of this.items) for (const v of fn(obj)) addTo(idx, v, k);
  }

  get(key: string): Stored<T> | undefined {
    return this.items.get(key);
  }

  getByName(namespace: string | undefined, name: string): Stored<T> | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): Stored<T>[] {
    return [...this.items.values()];
  }

  listNamespace(namespace: string): Stored<T>[] {
    return this.list().filter((o) => o.metadata.namespace === namespace);
  }

  byIndex(name: string, value: string): Stored<T>[] {
    const keys = this.indexes.get(name)?.get(value);
    if (!keys) return [];
    return [...keys].map((k) => this.items.get(k)).filter((o): o is Stored<T> => o !== undefined);
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  get lastSyncResourceVersion(): string {
    return this.rv;
  }

  /** Starts the list/watch loop; resolves once the first list is in the cache. */
  start(): Promise<void> {
    void this.run();
    if (this.o.resyncMs) this.scheduleResync();
    return this.waitForSync();
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((r) => this.syncWaiters.push(r));
  }

  stop(): void {
    this.stopped = true;
    this.stopCurrent?.();
    this.resyncTimer?.cancel();
    for (const w of this.syncWaiters.splice(0)) w();
  }

  private scheduleResync(): void {
    this.resyncTimer = this.clock.setTimeout(() => {
      if (this.stopped) return;
      for (const obj of this.items.values()) for (const h of this.handlers) h.onUpdate?.(obj, obj);
      this.scheduleResync();
    }, this.o.resyncMs!);
  }

  private async run(): Promise<void> {
    let backoffMs = 800;
    while (!this.stopped) {
      try {
        const list = await this.rc.list({
          ...(this.o.labelSelector ? { labelSelector: this.o.labelSelector } : {}),
          ...(this.o.fieldSelector ? { fieldSelector: this.o.fieldSelector } : {}),
        });
        if (this.stopped) return;
        this.replace(list.items);
        this.rv = list.metadata.resourceVersion ?? '';
        if (!this.synced) {
          this.synced = true;
          for (const w of this.syncWaiters.splice(0)) w();
        }
        backoffMs = 800;
        // Watch until the server says the revision is gone (then relist) or an error occurs.
        for (;;) {
          if (this.stopped) return;
          const timeout = this.o.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300);
          const handle = await this.rc.watch(
            {
              resourceVersion: this.rv,
              allowWatchBookmarks: true,
              timeoutSeconds: timeout,
              ...(this.o.labelSelector ? { labelSelector: this.o.labelSelector } : {}),
              ...(this.o.fieldSelector ? { fieldSelector: this.o.fieldSelector } : {}),
            },
            (e) => {
              if (this.stopped) return;
              const rv = e.object.metadata.resourceVersion;
              if (rv) this.rv = rv;
              if (e.type === 'ADDED' || e.type === 'MODIFIED') this.upsert(e.object as Stored<T>);
              else if (e.type === 'DELETED') this.remove(e.object as Stored<T>);
            },
          );
          this.stopCurrent = () => handle.stop();
          if (this.stopped) handle.stop();
          const r = await handle.done;
          this.stopCurrent = undefined;
          if (r.error) {
            if (r.error.code === 410) {
              this.o.log?.({ level: 'info', msg: 'watch expired, relisting', resource: this.resource, resourceVersion: this.rv });
              break;
            }
            throw new Error(`watch of ${this.resource} failed: ${r.error.message ?? r.error.reason}`);
          }
        }
      } catch (e) {
        if (this.stopped) return;
        this.o.log?.({ level: 'warn', msg: 'list/watch failed, retrying', resource: this.resource, error: e instanceof Error ? e.message : String(e), backoffMs });
        await new Promise<void>((r) => this.clock.setTimeout(r, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 30_000);
      }
    }
  }

  private replace(objs: Stored<T>[]): void {
    const seen = new Set<string>();
    for (const o of objs) {
      seen.add(objectKey(o));
      this.upsert(o);
    }
    for (const [k, o] of [...this.items]) if (!seen.has(k)) this.remove(o);
  }

  private upsert(obj: Stored<T>): void {
    const k = objectKey(obj);
    const old = this.items.get(k);
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.items.set(k, obj);
    this.reindex(k, old, obj);
    for (const h of this.handlers) {
      try {
        if (old) h.onUpdate?.(old, obj);
        else h.onAdd?.(obj);
      } catch (e) {
        this.o.log?.({ level: 'error', msg: 'informer handler failed', resource: this.resource, error: String(e) });
      }
    }
  }

  private remove(obj: Stored<T>): void {
    const k = objectKey(obj);
    const old = this.items.get(k);
    if (!old) return;
    this.items.delete(k);
    this.reindex(k, old, undefined);
    for (const h of this.handlers) {
      try {
        h.onDelete?.(obj);
      } catch (e) {
        this.o.log?.({ level: 'error', msg: 'informer handler failed', resource: this.resource, error: String(e) });
      }
    }
  }

  private reindex(key: string, old: Stored<T> | undefined, cur: Stored<T> | undefined): void {
    for (const [name, fn] of this.indexers) {
      const idx = this.indexes.get(name)!;
      if (old) for (const v of fn(old)) idx.get(v)?.delete(key);
      if (cur) for (const v of fn(cur)) addTo(idx, v, key);
    }
  }
}

function addTo(idx: Map<string, Set<string>>, v: string, k: string): void {
  let s = idx.get(v);
  if (!s) idx.set(v, (s = new Set()));
  s.add(k);
}

/** Index by namespace, the most common one. */
export const byNamespace = (o: KubeObject) => [o.metadata.namespace ?? ''];
