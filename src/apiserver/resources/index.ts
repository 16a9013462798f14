// The served resources with their strategies. Kind-specific behaviour lives here and in api/
// (validation, defaults) — the registry itself has none (STYLE.md 6).
import {
  defaultObject,
  resourceTypes,
  validateObject,
  validateObjectUpdate,
  validatePodStatusUpdate,
  validateDeploymentStatus,
  validateReplicaSetStatus,
  type Deployment,
  type KubeObject,
  type Namespace,
  type Node,
  type Pod,
  type ReplicaSet,
  type ResourceType,
  type Secret,
  type Service,
  type Stored,
  type ValidateOptions,
  type Event,
  deepCopy,
} from '../../api/index.js';
import type { ResourceDef, Strategy } from '../registry/types.js';
import { plainStrategy, specStatusStrategy } from './common.js';

/** Loopback network mode gives pods 127.x addresses, which upstream would refuse in Endpoints. */
const VALIDATE: ValidateOptions = { allowLoopback: true };

/** Defaults and validation from api/ for any kind it owns. */
function apiRules<T extends KubeObject>(): Pick<Strategy<T>, 'defaults' | 'validate' | 'validateUpdate'> {
  return {
    defaults: (o, { forCreate }) => void defaultObject(o, { forCreate }),
    validate: (o) => validateObject(o, VALIDATE) ?? [],
    validateUpdate: (o, old) => validateObjectUpdate(o, old, VALIDATE) ?? [],
  };
}

function def<T extends KubeObject>(type: ResourceType, strategy: Strategy<T>): ResourceDef {
  return { type, strategy: strategy as unknown as Strategy };
}

export const namespaceStrategy = specStatusStrategy<Namespace>({
  ...apiRules<Namespace>(),
  defaults(ns, { forCreate }) {
    defaultObject(ns, { forCreate });
    // Every namespace carries its own name as a label (NamespaceDefaultLabelName, GA in 1.22).
    if (ns.metadata.name) ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns.metadata.name };
  },
  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
  },
  prepareForUpdate(ns, old) {
    // Only /finalize may change spec.finalizers (upstream namespaceStrategy.PrepareForUpdate).
    ns.spec = deepCopy(old.spec ?? {});
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
  ...apiRules<Node>(),
  selectableFields: (n) => ({ 'spec.unschedulable': String(n.spec?.unschedulable ?? false) }),
});

export const podStrategy = specStatusStrategy<Pod>({
  ...apiRules<Pod>(),
  prepareForCreate(pod) {
    pod.status = { phase: 'Pending', qosClass: qosClass(pod) };
  },
  validateStatusUpdate: (pod, old) => validatePodStatusUpdate(pod, old as Pod),
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

/** The pod's QoS class from requests and limits (pkg/apis/core/helper/qos), simplified to the common cases. */
function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  const any = containers.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = containers.every((c) => {
    const l = c.resources?.limits ?? {};
    const r = c.resources?.requests ?? {};
    return ['cpu', 'memory'].every((k) => l[k] !== undefined && (r[k] === undefined || r[k] === l[k]));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Placeholder used only when the Service registry is not supplied (tests of other kinds). */
export const plainServiceStrategy = specStatusStrategy<Service>({
  selectableFields: (s) => ({ 'spec.clusterIP': s.spec?.clusterIP ?? '', 'spec.type': s.spec?.type ?? '' }),
});

export const deploymentStrategy = specStatusStrategy<Deployment>({
  ...apiRules<Deployment>(),
  tracksGeneration: true,
  validateStatusUpdate: (d) => validateDeploymentStatus(d.status ?? {}),
});
export const replicaSetStrategy = specStatusStrategy<ReplicaSet>({
  ...apiRules<ReplicaSet>(),
  tracksGeneration: true,
  validateStatusUpdate: (rs) => validateReplicaSetStatus(rs.status ?? { replicas: 0 }),
  selectableFields: (rs) => ({ 'status.replicas': String(rs.status?.replicas ?? 0) }),
});

export const eventStrategy = plainStrategy<Event>({
  ...apiRules<Event>(),
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

function mergeStringData(s: Secret): void {
  // stringData is write-only: merged into data (base64) and never stored.
  if (!s.stringData) return;
  s.data ??= {};
  for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(v).toString('base64');
  delete s.stringData;
}

export const secretStrategy = plainStrategy<Secret>({
  ...apiRules<Secret>(),
  prepareForCreate: mergeStringData,
  prepareForUpdate: mergeStringData,
  selectableFields: (s) => ({ type: s.type ?? '' }),
});

export interface BuiltinResourceOptions {
  /** The Service strategy (the Service registry with allocators); a plain one when absent. */
  serviceStrategy?: Strategy<Service>;
}

export function builtinResources(opts: BuiltinResourceOptions = {}): ResourceDef[] {
  const t = resourceTypes;
  return [
    def(t.namespaces, namespaceStrategy),
    def(t.nodes, nodeStrategy),
    def(t.pods, podStrategy),
    def(t.services, opts.serviceStrategy ?? plainServiceStrategy),
    def(t.endpoints, plainStrategy({ ...apiRules(), allowCreateOnUpdate: true })),
    def(t.events, eventStrategy),
    def(t.configmaps, plainStrategy(apiRules())),
    def(t.secrets, secretStrategy),
    def(t.serviceaccounts, plainStrategy(apiRules())),
    def(t.deployments, deploymentStrategy),
    def(t.replicasets, replicaSetStrategy),
    def(t.endpointslices, plainStrategy(apiRules())),
    def(t.leases, plainStrategy({ ...apiRules(), allowCreateOnUpdate: true })),
  ];
}
