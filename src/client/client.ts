// Typed clients over a Transport. Required fields stay required: reads return Stored<T>.
import {
  resourceTypes,
  type ConfigMap,
  type DeleteOptions,
  type Deployment,
  type Endpoints,
  type EndpointSlice,
  type Event,
  type KubeObject,
  type Lease,
  type Namespace,
  type Node,
  type ObjectList,
  type Pod,
  type ReplicaSet,
  type ResourceType,
  type Secret,
  type Service,
  type ServiceAccount,
  type Stored,
  type WatchEvent,
} from '../api/index.js';
import type { ListOpts, PatchKind, Transport, WatchHandle, WatchOpts, WriteOpts } from './transport.js';

export class ResourceClient<T extends KubeObject> {
  constructor(
    readonly transport: Transport,
    readonly type: ResourceType,
    readonly namespace?: string,
  ) {}

  get(name: string): Promise<Stored<T>> {
    return this.transport.get(this.type, this.namespace, name) as Promise<Stored<T>>;
  }

  list(opts: ListOpts = {}): Promise<ObjectList<Stored<T>>> {
    return this.transport.list(this.type, this.namespace, opts) as Promise<ObjectList<Stored<T>>>;
  }

  watch(opts: WatchOpts, onEvent: (e: WatchEvent<Stored<T>>) => void): Promise<WatchHandle> {
    return this.transport.watch(this.type, this.namespace, opts, onEvent as (e: WatchEvent<Stored<KubeObject>>) => void);
  }

  create(obj: T, opts: WriteOpts = {}): Promise<Stored<T>> {
    return this.transport.create(this.type, this.namespace ?? obj.metadata.namespace, obj, opts) as Promise<Stored<T>>;
  }

  update(obj: T | Stored<T>, opts: WriteOpts = {}): Promise<Stored<T>> {
    return this.transport.update(this.type, this.namespace ?? obj.metadata.namespace, obj as KubeObject, opts) as Promise<Stored<T>>;
  }

  updateStatus(obj: T | Stored<T>, opts: WriteOpts = {}): Promise<Stored<T>> {
    return this.transport.update(this.type, this.namespace ?? obj.metadata.namespace, obj as KubeObject, { ...opts, subresource: 'status' }) as Promise<Stored<T>>;
  }

  patch(name: string, type: PatchKind, body: unknown, opts: WriteOpts & { subresource?: 'status'; force?: boolean } = {}): Promise<Stored<T>> {
    return this.transport.patch(this.type, this.namespace, name, { type, body }, opts) as Promise<Stored<T>>;
  }

  delete(name: string, opts: DeleteOptions = {}): Promise<void> {
    return this.transport.delete(this.type, this.namespace, name, opts);
  }

  deleteCollection(list: ListOpts = {}, opts: DeleteOptions = {}): Promise<void> {
    return this.transport.deleteCollection(this.type, this.namespace, list, opts);
  }

  /** The same resource in another namespace (or all namespaces with undefined). */
  inNamespace(namespace: string | undefined): ResourceClient<T> {
    return new ResourceClient<T>(this.transport, this.type, namespace);
  }
}

export class Client {
  constructor(readonly transport: Transport) {}

  resource<T extends KubeObject>(type: ResourceType, namespace?: string): ResourceClient<T> {
    return new ResourceClient<T>(this.transport, type, namespace);
  }

  namespaces = () => this.resource<Namespace>(resourceTypes.namespaces);
  nodes = () => this.resource<Node>(resourceTypes.nodes);
  pods = (ns?: string) => this.resource<Pod>(resourceTypes.pods, ns);
  services = (ns?: string) => this.resource<Service>(resourceTypes.services, ns);
  endpoints = (ns?: string) => this.resource<Endpoints>(resourceTypes.endpoints, ns);
  endpointSlices = (ns?: string) => this.resource<EndpointSlice>(resourceTypes.endpointslices, ns);
  events = (ns?: string) => this.resource<Event>(resourceTypes.events, ns);
  configMaps = (ns?: string) => this.resource<ConfigMap>(resourceTypes.configmaps, ns);
  secrets = (ns?: string) => this.resource<Secret>(resourceTypes.secrets, ns);
  serviceAccounts = (ns?: string) => this.resource<ServiceAccount>(resourceTypes.serviceaccounts, ns);
  deployments = (ns?: string) => this.resource<Deployment>(resourceTypes.deployments, ns);
  replicaSets = (ns?: string) => this.resource<ReplicaSet>(resourceTypes.replicasets, ns);
  leases = (ns?: string) => this.resource<Lease>(resourceTypes.leases, ns);

  finalizeNamespace(name: string, finalizers: string[]): Promise<Stored<Namespace>> {
    return this.transport.finalizeNamespace(name, finalizers) as Promise<Stored<Namespace>>;
  }

  bindPod(namespace: string, name: string, nodeName: string): Promise<void> {
    return this.transport.bindPod(namespace, name, nodeName);
  }
}
