// apiserver/: the Kubernetes API server of kubeloop. `startApiServer` opens the store, builds
// the registry with every served resource, bootstraps the system namespaces, and serves HTTPS.
import { openStore, type Store } from '../store/index.js';
import { ApiHttpServer, type ExtraRoute, type PodStreams } from './http/server.js';
import { ensureCredentials, type ClusterCredentials } from './http/tls.js';
import { fallbackPrinter } from './http/fallbackPrinter.js';
import type { TablePrinter } from './http/table.js';
import { Registry, type PatchFn, type RegistryOptions } from './registry/registry.js';
import { builtinResources, type BuiltinResourceOptions } from './resources/index.js';
import { isAlreadyExists, isNotFound, printerFor, type Endpoints, type EndpointSlice, type Namespace, type Service, type Stored } from '../api/index.js';
import { serviceRegistry } from './resources/services.js';
import type { RepairProblem, ServiceAllocators } from './allocator/index.js';
import { rfc3339 } from './registry/registry.js';
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from './protobuf/index.js';
import { applyPatch, parsePatchBody } from './patch/index.js';
import { fieldValidationOf, openapiRoutes, validateApplyBody, validateBody, validatePatch, warningHeaders } from './openapi/index.js';
import { recordUpdate, serverSideApply } from './apply/index.js';
import { allResourceTypes } from '../api/index.js';
import { pruneUnknownFields } from '../api/schema/index.js';

export { Registry, rfc3339, gr, gk } from './registry/registry.js';
export type { AnyStored, ListOptions, WatchOptions, WriteOptions, PatchType, Watch, WatchHandler } from './registry/registry.js';
export type { ResourceDef, Strategy, RequestContext, Transaction } from './registry/types.js';
export { builtinResources, type BuiltinResourceOptions } from './resources/index.js';
export { bindPod, finalizeNamespace, getScale, updateScale, toScale } from './registry/subresources.js';
export { ensureCredentials, type ClusterCredentials } from './http/tls.js';
export { VERSION_INFO, type PodStreams, type ExtraRoute } from './http/server.js';
export type { TablePrinter } from './http/table.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export interface ApiServerOptions {
  /** Where the PKI, token and (for sqlite) the database live. */
  dataDir: string;
  host?: string;
  port?: number;
  /** Store URL; default `sqlite://<dataDir>/state.db`. */
  storeUrl?: string;
  store?: Store;
  printers?: (plural: string) => TablePrinter | undefined;
  applyPatch?: PatchFn;
  parsePatch?: ConstructorParameters<typeof ApiHttpServer>[0]['parsePatch'];
  applyConfiguration?: RegistryOptions['applyConfiguration'];
  decoders?: ConstructorParameters<typeof ApiHttpServer>[0]['decoders'];
  resources?: BuiltinResourceOptions;
  podStreams?: PodStreams;
  extraRoutes?: ExtraRoute[];
  /** Service ClusterIP range (default 127.96.0.0/12). */
  serviceCIDR?: string;
  /** NodePort range (default 30000-32767). */
  nodePortRange?: string;
  /** Extra IP SANs for the serving certificate. */
  certIps?: string[];
  clock?: () => Date;
  /** How often history is compacted (default 5 minutes; keeps the last interval's history). */
  compactIntervalMs?: number;
  bookmarkIntervalMs?: number;
  log?: (line: Record<string, unknown>) => void;
}

export interface RunningApiServer {
  url: string;
  host: string;
  port: number;
  registry: Registry;
  store: Store;
  credentials: ClusterCredentials;
  /** The ClusterIP/NodePort allocators (for reserved addresses such as kube-dns at .10). */
  serviceAllocators: ServiceAllocators;
  close(): Promise<void>;
}

export async function startApiServer(o: ApiServerOptions): Promise<RunningApiServer> {
  let registryRef: Registry | undefined;
  const services = serviceRegistry({
    ...(o.serviceCIDR ? { serviceCIDR: o.serviceCIDR } : {}),
    ...(o.nodePortRange ? { nodePortRange: o.nodePortRange } : {}),
    // The apiserver deletes the same-named Endpoints with a Service (upstream storage afterDelete).
    onDeleted: async (svc) => {
      if (!registryRef) return;
      try {
        await registryRef.delete(registryRef.mustResource('endpoints'), svc.metadata.namespace, svc.metadata.name, {});
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    },
  });
  const kubernetesIP = services.allocators.clusterIPs.addressAt(1);
  const credentials = ensureCredentials(o.dataDir, { ips: [kubernetesIP, ...(o.certIps ?? [])] });
  const store = o.store ?? openStore(o.storeUrl ?? `sqlite://${o.dataDir}/state.db`);
  const registry = new Registry({
    store,
    resources: builtinResources({ serviceStrategy: services.strategy, ...(o.resources ?? {}) }),
    ...(o.clock ? { clock: o.clock } : {}),
    applyPatch: o.applyPatch ?? ((obj, patch, opts) => applyPatch(obj, patch, opts)),
    applyConfiguration: o.applyConfiguration ?? serverSideApply(o.clock ? { clock: o.clock } : {}),
    recordUpdate: (live, next, ro) => recordUpdate(live, next, ro),
  });
  registryRef = registry;
  await bootstrapNamespaces(registry);
  // Repair: rebuild ClusterIP/NodePort state from what is stored, so a restart (or a crash) can
  // never hand out a value twice.
  const stored = (await registry.list(registry.mustResource('services'), undefined)).items as unknown as Stored<Service>[];
  stored.sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp));
  const report = services.repair(stored);
  for (const p of report.problems) await recordRepairProblem(registry, p, stored, o.log);
  const http = new ApiHttpServer({
    registry,
    token: credentials.token,
    tls: { cert: credentials.serverCert, key: credentials.serverKey },
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 6443,
    printers: (plural) => o.printers?.(plural) ?? printerFor(plural) ?? fallbackPrinter,
    ...(o.clock ? { clock: o.clock } : {}),
    decoders: { [PROTOBUF_CONTENT_TYPE]: (body: Buffer) => decodeProtobufObject(body), ...(o.decoders ?? {}) },
    parsePatch: o.parsePatch ?? ((ct, body, po) => parsePatchBody(ct, body, po)),
    fieldValidation: {
      directive: (q, options) => fieldValidationOf(q, { options }),
      validateBody,
      validatePatch,
      validateApplyBody,
      warningHeaders,
      prune: (value, gvk) => pruneUnknownFields(value, gvk),
    },
    ...(o.podStreams ? { podStreams: o.podStreams } : {}),
    extraRoutes: [...openapiRoutes(allResourceTypes, o.clock ? { clock: o.clock } : {}), ...(o.extraRoutes ?? [])],
    ...(o.bookmarkIntervalMs ? { bookmarkIntervalMs: o.bookmarkIntervalMs } : {}),
    ...(o.log ? { log: o.log } : {}),
  });
  const { host, port } = await http.listen();
  await reconcileKubernetesService(registry, { ip: kubernetesIP, endpoint: host, port });
  // Compaction as kube-apiserver does it: every interval, compact to the revision seen at the
  // previous tick, so watchers always have at least one interval of history.
  let lastSeen = await store.currentRevision();
  const compactTimer = setInterval(() => {
    void (async () => {
      const target = lastSeen;
      lastSeen = await store.currentRevision();
      if (target > 0) await store.compact(target);
    })().catch((e) => o.log?.({ level: 'error', msg: 'compaction failed', error: String(e) }));
  }, o.compactIntervalMs ?? 5 * 60_000);
  compactTimer.unref();
  return {
    url: `https://${host}:${port}`,
    host,
    port,
    registry,
    store,
    credentials,
    serviceAllocators: services.allocators,
    async close() {
      clearInterval(compactTimer);
      await http.close();
      await store.close();
    },
  };
}

async function bootstrapNamespaces(registry: Registry): Promise<void> {
  const res = registry.mustResource('namespaces');
  for (const name of SYSTEM_NAMESPACES) {
    const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } };
    try {
      await registry.create(res, undefined, ns);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }
}

/**
 * The `kubernetes` Service in `default` at the first IP of the range (443 named `https`, target
 * the API server's port), with Endpoints and an EndpointSlice pointing at the API server. The
 * port can change between starts (`--port 0`), so they are reconciled at every start.
 */
async function reconcileKubernetesService(registry: Registry, o: { ip: string; endpoint: string; port: number }): Promise<void> {
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  const svcRes = registry.mustResource('services');
  const desired: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels },
    spec: { type: 'ClusterIP', clusterIP: o.ip, clusterIPs: [o.ip], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: o.port }], sessionAffinity: 'None' },
  };
  await upsert(registry, svcRes, desired, (cur) => {
    const c = cur as unknown as Service;
    return { ...c, metadata: { ...c.metadata, labels }, spec: { ...c.spec, ports: desired.spec.ports! } };
  });
  const ep: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: o.endpoint }], ports: [{ name: 'https', port: o.port, protocol: 'TCP' }] }],
  };
  await upsert(registry, registry.mustResource('endpoints'), ep, (cur) => ({ ...cur, subsets: ep.subsets }) as unknown as Endpoints);
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [o.endpoint], conditions: { ready: true } }],
    ports: [{ name: 'https', port: o.port, protocol: 'TCP' }],
  };
  await upsert(registry, registry.mustResource('endpointslices'), slice, (cur) => ({ ...cur, endpoints: slice.endpoints, ports: slice.ports }) as unknown as EndpointSlice);
}

async function upsert<T extends { metadata: { name?: string; namespace?: string } }>(
  registry: Registry,
  res: ReturnType<Registry['mustResource']>,
  desired: T,
  update: (cur: T) => T,
): Promise<void> {
  const ns = desired.metadata.namespace;
  const name = desired.metadata.name ?? '';
  try {
    await registry.guaranteedUpdate(res, ns, name, (cur) => update(cur as unknown as T) as never);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    await registry.create(res, ns, desired);
  }
}

async function recordRepairProblem(registry: Registry, p: RepairProblem, services: Stored<Service>[], log?: (l: Record<string, unknown>) => void): Promise<void> {
  log?.({ level: 'warn', msg: 'service allocation repair', kind: p.kind, service: p.service, problem: p.message });
  const [namespace, name] = p.service.split('/');
  const svc = services.find((s) => s.metadata.namespace === namespace && s.metadata.name === name);
  if (!svc || !namespace) return;
  const now = rfc3339(new Date());
  try {
    await registry.create(registry.mustResource('events'), namespace, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${name}.${Date.now().toString(16)}${Math.floor(Math.random() * 1e4)}`, namespace },
      involvedObject: { kind: 'Service', namespace, name, uid: svc.metadata.uid, apiVersion: 'v1', resourceVersion: svc.metadata.resourceVersion },
      reason: p.kind,
      message: p.message,
      source: { component: 'ipallocator-repair-controller' },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type: 'Warning',
      reportingComponent: 'ipallocator-repair-controller',
      reportingInstance: '',
    });
  } catch (e) {
    log?.({ level: 'warn', msg: 'repair event not recorded', error: String(e) });
  }
}
