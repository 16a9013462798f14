// The resource types kubeloop serves: names, scope and discovery data. Pure data; the API server
// attaches strategies and printers, the client uses it to build paths.

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export interface SubresourceType {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: Verb[];
}

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Lower-case plural, the URL segment (`pods`). */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  subresources: SubresourceType[];
}

const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function rt(
  r: Omit<ResourceType, 'listKind' | 'verbs' | 'subresources' | 'shortNames' | 'categories' | 'singular'> &
    Partial<Pick<ResourceType, 'verbs' | 'subresources' | 'shortNames' | 'categories' | 'singular'>>,
): ResourceType {
  return {
    listKind: `${r.kind}List`,
    verbs: ALL_VERBS,
    subresources: [],
    shortNames: [],
    categories: [],
    singular: r.kind.toLowerCase(),
    ...r,
  };
}

const status = (group: string, version: string, kind: string): SubresourceType => ({
  name: 'status',
  group,
  version,
  kind,
  verbs: ['get', 'patch', 'update'],
});

export const resourceTypes = {
  namespaces: rt({
    group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [status('', 'v1', 'Namespace'), { name: 'finalize', group: '', version: 'v1', kind: 'Namespace', verbs: ['update'] }],
  }),
  nodes: rt({
    group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'],
    subresources: [status('', 'v1', 'Node')],
  }),
  pods: rt({
    group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'], categories: ['all'],
    subresources: [
      status('', 'v1', 'Pod'),
      { name: 'binding', group: '', version: 'v1', kind: 'Binding', verbs: ['create'] },
      { name: 'log', group: '', version: 'v1', kind: 'Pod', verbs: ['get'] },
      { name: 'exec', group: '', version: 'v1', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'attach', group: '', version: 'v1', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'portforward', group: '', version: 'v1', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    ],
  }),
  services: rt({
    group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc'], categories: ['all'],
    subresources: [status('', 'v1', 'Service')],
  }),
  endpoints: rt({
    group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', namespaced: true, shortNames: ['ep'], singular: 'endpoints',
  }),
  events: rt({ group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'] }),
  configmaps: rt({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'] }),
  secrets: rt({ group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true }),
  serviceaccounts: rt({ group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true, shortNames: ['sa'] }),
  deployments: rt({
    group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, shortNames: ['deploy'], categories: ['all'],
    subresources: [
      status('apps', 'v1', 'Deployment'),
      { name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
    ],
  }),
  replicasets: rt({
    group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, shortNames: ['rs'], categories: ['all'],
    subresources: [
      status('apps', 'v1', 'ReplicaSet'),
      { name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
    ],
  }),
  endpointslices: rt({ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true }),
  leases: rt({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true }),
} satisfies Record<string, ResourceType>;

export type ResourceName = keyof typeof resourceTypes;

export const allResourceTypes: ResourceType[] = Object.values(resourceTypes);

export function apiVersionOf(r: Pick<ResourceType, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function findByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return allResourceTypes.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}

export function findByPlural(group: string, version: string, plural: string): ResourceType | undefined {
  return allResourceTypes.find((r) => r.group === group && r.version === version && r.plural === plural);
}
