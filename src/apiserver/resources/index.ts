// The served resources with their strategies. Kind-specific behaviour lives here and in the
// strategies' helpers; the registry itself has none (STYLE.md 6).
import {
  resourceTypes,
  type ConfigMap,
  type Deployment,
  type Endpoints,
  type EndpointSlice,
  type Event,
  type KubeObject,
  type Lease,
  type Namespace,
  type Node,
  type Pod,
  type ReplicaSet,
  type ResourceType,
  type Secret,
  type Service,
  type ServiceAccount,
  type Stored,
} from '../../api/index.js';
import type { ResourceDef, Strategy } from '../registry/types.js';
import { plainStrategy, specStatusStrategy } from './common.js';

function def<T extends KubeObject>(type: ResourceType, strategy: Strategy<T>): ResourceDef {
  return { type, strategy: strategy as unknown as Strategy };
}

export const namespaceStrategy = specStatusStrategy<Namespace>({
  defaults(ns) {
    ns.spec ??= {};
    ns.spec.finalizers ??= ['kubernetes'];
    // Every namespace carries its own name as a label (NamespaceDefaultLabelName, GA in 1.22).
    if (ns.metadata.name) ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns.metadata.name };
  },
  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
  },
  decideDelete(ns) {
    // Deleting a namespace marks it Terminating; the namespace controller empties it and then
    // removes the `kubernetes` finalizer through /finalize, which removes the namespace.
    ns.status = { ...(ns.status ?? {}), phase: 'Terminating' };
    return { graceful: (ns.spec?.finalizers?.length ?? 0) > 0, gracePeriodSeconds: 0 };
  },
  hasSpecFinalizers: (ns) => (ns.spec?.finalizers?.length ?? 0) > 0,
  selectableFields: (ns) => ({ 'status.phase': ns.status?.phase ?? '' }),
});

export const nodeStrategy = specStatusStrategy<Node>({
  selectableFields: (n) => ({ 'spec.unschedulable': String(n.spec?.unschedulable ?? false) }),
});

export const podStrategy = specStatusStrategy<Pod>({
  prepareForCreate(pod) {
    pod.status = { phase: 'Pending', qosClass: 'BestEffort' };
  },
  decideDelete(pod, opts) {
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    if (!pod.spec.nodeName || terminal) return { graceful: false };
    const grace = opts.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    return grace > 0 ? { graceful: true, gracePeriodSeconds: grace } : { graceful: false };
  },
  selectableFields: (p: Stored<Pod>) => ({
    'spec.nodeName': p.spec?.nodeName ?? '',
    'spec.restartPolicy': p.spec?.restartPolicy ?? '',
    'spec.schedulerName': p.spec?.schedulerName ?? '',
    'spec.serviceAccountName': p.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': String(p.spec?.hostNetwork ?? false),
    'status.phase': p.status?.phase ?? '',
    'status.podIP': p.status?.podIP ?? '',
    'status.nominatedNodeName': p.status?.nominatedNodeName ?? '',
  }),
});

export const serviceStrategy = specStatusStrategy<Service>({
  selectableFields: (s) => ({ 'spec.clusterIP': s.spec?.clusterIP ?? '', 'spec.type': s.spec?.type ?? '' }),
});

export const deploymentStrategy = specStatusStrategy<Deployment>({ tracksGeneration: true });
export const replicaSetStrategy = specStatusStrategy<ReplicaSet>({
  tracksGeneration: true,
  selectableFields: (rs) => ({ 'status.replicas': String(rs.status?.replicas ?? 0) }),
});

export const eventStrategy = plainStrategy<Event>({
  allowCreateOnUpdate: true,
  selectableFields: (e) => ({
    'involvedObject.kind': e.involvedObject?.kind ?? '',
    'involvedObject.namespace': e.involvedObject?.namespace ?? '',
    'involvedObject.name': e.involvedObject?.name ?? '',
    'involvedObject.uid': e.involvedObject?.uid ?? '',
    'involvedObject.apiVersion': e.involvedObject?.apiVersion ?? '',
    'involvedObject.resourceVersion': e.involvedObject?.resourceVersion ?? '',
    'involvedObject.fieldPath': e.involvedObject?.fieldPath ?? '',
    reason: e.reason ?? '',
    reportingComponent: e.reportingComponent ?? '',
    source: e.source?.component ?? '',
    type: e.type ?? '',
  }),
});

export const secretStrategy = plainStrategy<Secret>({
  defaults(s) {
    s.type ??= 'Opaque';
  },
  prepareForCreate(s) {
    // stringData is write-only: merged into data (base64) and never stored.
    if (s.stringData) {
      s.data ??= {};
      for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(v).toString('base64');
      delete s.stringData;
    }
  },
  prepareForUpdate(s) {
    if (s.stringData) {
      s.data ??= {};
      for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(v).toString('base64');
      delete s.stringData;
    }
  },
  selectableFields: (s) => ({ type: s.type ?? '' }),
});

export interface BuiltinResourceOptions {
  /** Replaces the default Service strategy (the Service registry with allocators). */
  serviceStrategy?: Strategy<Service>;
  /** Per-kind validation/defaulting overrides, keyed by plural. */
  overrides?: Partial<Record<keyof typeof resourceTypes, Partial<Strategy<KubeObject>>>>;
}

export function builtinResources(opts: BuiltinResourceOptions = {}): ResourceDef[] {
  const t = resourceTypes;
  const defs: ResourceDef[] = [
    def(t.namespaces, namespaceStrategy),
    def(t.nodes, nodeStrategy),
    def(t.pods, podStrategy),
    def(t.services, opts.serviceStrategy ?? serviceStrategy),
    def(t.endpoints, plainStrategy<Endpoints>({ allowCreateOnUpdate: true })),
    def(t.events, eventStrategy),
    def(t.configmaps, plainStrategy<ConfigMap>()),
    def(t.secrets, secretStrategy),
    def(t.serviceaccounts, plainStrategy<ServiceAccount>()),
    def(t.deployments, deploymentStrategy),
    def(t.replicasets, replicaSetStrategy),
    def(t.endpointslices, plainStrategy<EndpointSlice>()),
    def(t.leases, plainStrategy<Lease>({ allowCreateOnUpdate: true })),
  ];
  return defs.map((d) => {
    const o = opts.overrides?.[d.type.plural as keyof typeof resourceTypes];
    return o ? { ...d, strategy: { ...d.strategy, ...o } } : d;
  });
}
