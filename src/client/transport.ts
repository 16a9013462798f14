// The seam between typed clients and the API: one interface, two transports (in-process over
// the registry, and HTTPS). Both speak the same semantics, so a component can move to another
// process without changing.
import type { DeleteOptions, KubeObject, ObjectList, ResourceType, Status, Stored, WatchEvent } from '../api/index.js';

export type AnyStored = Stored<KubeObject>;

export interface ListOpts {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WatchOpts {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOpts {
  dryRun?: boolean;
  fieldManager?: string;
}

export type PatchKind = 'json' | 'merge' | 'strategic' | 'apply';

export interface WatchHandle {
  stop(): void;
  /** Resolves when the watch ends: by stop(), by the server, or with a terminal error Status (e.g. 410). */
  done: Promise<{ error?: Status }>;
}

export interface Transport {
  get(t: ResourceType, namespace: string | undefined, name: string): Promise<AnyStored>;
  list(t: ResourceType, namespace: string | undefined, opts: ListOpts): Promise<ObjectList<AnyStored>>;
  watch(t: ResourceType, namespace: string | undefined, opts: WatchOpts, onEvent: (e: WatchEvent<AnyStored>) => void): Promise<WatchHandle>;
  create(t: ResourceType, namespace: string | undefined, obj: KubeObject, opts: WriteOpts): Promise<AnyStored>;
  update(t: ResourceType, namespace: string | undefined, obj: KubeObject, opts: WriteOpts & { subresource?: 'status' }): Promise<AnyStored>;
  patch(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: { type: PatchKind; body: unknown },
    opts: WriteOpts & { subresource?: 'status'; force?: boolean },
  ): Promise<AnyStored>;
  delete(t: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions): Promise<void>;
  deleteCollection(t: ResourceType, namespace: string | undefined, list: ListOpts, opts: DeleteOptions): Promise<void>;
  /** PUT namespaces/{name}/finalize. */
  finalizeNamespace(name: string, finalizers: string[]): Promise<AnyStored>;
  /** POST pods/{name}/binding. */
  bindPod(namespace: string, name: string, nodeName: string): Promise<void>;
}
