// The strategic-merge-patch metadata of the kinds kubeloop serves: for each field that needs
// more than "objects merge, lists are replaced", what its Go struct tags say. Transcribed from
// the `patchStrategy` / `patchMergeKey` tags of k8s.io/api core/v1, apps/v1 and
// apimachinery meta/v1 types.go; fields not listed carry no tag there (discovery/v1,
// coordination/v1 and autoscaling/v1 Scale have none beyond ObjectMeta). Every list not listed
// here (tolerations, taints, Endpoints subsets, EndpointSlice endpoints, args, ...) is atomic.

/** What the `patchStrategy` / `patchMergeKey` tags of one field say. */
export type SmpField =
  /** A struct (or map) whose own fields have tags; `retainKeys` mirrors patchStrategy:"retainKeys". */
  | { readonly kind: 'object'; readonly schema: SmpSchema; readonly retainKeys?: boolean }
  /** patchStrategy:"merge" + patchMergeKey on a list of objects. */
  | { readonly kind: 'mergeList'; readonly mergeKey: string; readonly items?: SmpSchema; readonly retainKeys?: boolean }
  /** patchStrategy:"merge" on a list of scalars: merged as a set. `element` is the Go kind. */
  | { readonly kind: 'set'; readonly element: 'string' }
  /** patchStrategy:"replace": taken from the patch as is. */
  | { readonly kind: 'replace' };

export interface SmpSchema {
  readonly fields: Readonly<Record<string, SmpField>>;
}

/** A struct or map nobody tagged: its maps merge and its lists are replaced. */
export const UNTAGGED: SmpSchema = { fields: {} };

const object = (schema: SmpSchema, opts: { retainKeys?: boolean } = {}): SmpField => ({ kind: 'object', schema, ...opts });
const mergeList = (mergeKey: string, items?: SmpSchema, opts: { retainKeys?: boolean } = {}): SmpField => ({
  kind: 'mergeList',
  mergeKey,
  ...(items ? { items } : {}),
  ...opts,
});
const stringSet: SmpField = { kind: 'set', element: 'string' };
const conditions = mergeList('type');

// ---------------------------------------------------------------- meta/v1
const objectMeta: SmpSchema = {
  fields: { ownerReferences: mergeList('uid'), finalizers: stringSet },
};
const withMeta = (fields: Record<string, SmpField> = {}): SmpSchema => ({ fields: { metadata: object(objectMeta), ...fields } });

// ---------------------------------------------------------------- core/v1 Pod
const container: SmpSchema = {
  fields: {
    ports: mergeList('containerPort'),
    env: mergeList('name'),
    volumeMounts: mergeList('mountPath'),
    volumeDevices: mergeList('devicePath'),
  },
};

const podSpec: SmpSchema = {
  fields: {
    volumes: mergeList('name', UNTAGGED, { retainKeys: true }),
    initContainers: mergeList('name', container),
    containers: mergeList('name', container),
    ephemeralContainers: mergeList('name', container),
    imagePullSecrets: mergeList('name'),
    hostAliases: mergeList('ip'),
    topologySpreadConstraints: mergeList('topologyKey'),
    schedulingGates: mergeList('name'),
    resourceClaims: mergeList('name', UNTAGGED, { retainKeys: true }),
  },
};

const podStatus: SmpSchema = {
  fields: {
    conditions,
    podIPs: mergeList('ip'),
    hostIPs: mergeList('ip'),
    resourceClaimStatuses: mergeList('name', UNTAGGED, { retainKeys: true }),
  },
};

const podTemplateSpec: SmpSchema = { fields: { metadata: object(objectMeta), spec: object(podSpec) } };

// ---------------------------------------------------------------- the served kinds
const pod = withMeta({ spec: object(podSpec), status: object(podStatus) });
const namespace = withMeta({ status: object({ fields: { conditions } }) });
const node = withMeta({
  spec: object({ fields: { podCIDRs: stringSet } }),
  status: object({ fields: { conditions, addresses: mergeList('type') } }),
});
const service = withMeta({
  spec: object({ fields: { ports: mergeList('port') } }),
  status: object({ fields: { conditions } }),
});
const serviceAccount = withMeta({ secrets: mergeList('name') });
const deployment = withMeta({
  spec: object({ fields: { template: object(podTemplateSpec), strategy: object(UNTAGGED, { retainKeys: true }) } }),
  status: object({ fields: { conditions } }),
});
const replicaSet = withMeta({
  spec: object({ fields: { template: object(podTemplateSpec) } }),
  status: object({ fields: { conditions } }),
});
const metaOnly = withMeta();

const SCHEMAS: Readonly<Record<string, SmpSchema>> = {
  'v1/Namespace': namespace,
  'v1/Node': node,
  'v1/Pod': pod,
  'v1/Service': service,
  'v1/Endpoints': metaOnly,
  'v1/Event': metaOnly,
  'v1/ConfigMap': metaOnly,
  'v1/Secret': metaOnly,
  'v1/ServiceAccount': serviceAccount,
  'apps/v1/Deployment': deployment,
  'apps/v1/ReplicaSet': replicaSet,
  'autoscaling/v1/Scale': metaOnly,
  'discovery.k8s.io/v1/EndpointSlice': metaOnly,
  'coordination.k8s.io/v1/Lease': metaOnly,
};

/** The schema of a served kind; undefined means strategic merge patch is unsupported (415), as for CRDs. */
export function smpSchemaFor(apiVersion: string, kind: string): SmpSchema | undefined {
  const key = `${apiVersion}/${kind}`;
  return Object.prototype.hasOwnProperty.call(SCHEMAS, key) ? SCHEMAS[key] : undefined;
}
