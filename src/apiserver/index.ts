// apiserver/: the Kubernetes API server of kubeloop. `startApiServer` opens the store, builds
// the registry with every served resource, bootstraps the system namespaces, and serves HTTPS.
import { openStore, type Store } from '../store/index.js';
import { ApiHttpServer, type ExtraRoute, type PodStreams } from './http/server.js';
import { ensureCredentials, type ClusterCredentials } from './http/tls.js';
import { fallbackPrinter } from './http/fallbackPrinter.js';
import type { TablePrinter } from './http/table.js';
import { Registry, type PatchFn, type RegistryOptions } from './registry/registry.js';
import { builtinResources, type BuiltinResourceOptions } from './resources/index.js';
import { isAlreadyExists, type Namespace } from '../api/index.js';
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from './protobuf/index.js';
import { applyPatch, parsePatchBody } from './patch/index.js';

export { Registry, rfc3339, gr, gk } from './registry/registry.js';
export type { AnyStored, ListOptions, WatchOptions, WriteOptions, PatchType, Watch, WatchHandler } from './registry/registry.js';
export type { ResourceDef, Strategy, RequestContext, Transaction } from './registry/types.js';
export { builtinResources, type BuiltinResourceOptions } from './resources/index.js';
export { bindPod, getScale, updateScale, toScale } from './registry/subresources.js';
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
  close(): Promise<void>;
}

export async function startApiServer(o: ApiServerOptions): Promise<RunningApiServer> {
  const credentials = ensureCredentials(o.dataDir, { ips: o.certIps ?? [] });
  const store = o.store ?? openStore(o.storeUrl ?? `sqlite://${o.dataDir}/state.db`);
  const registry = new Registry({
    store,
    resources: builtinResources(o.resources),
    ...(o.clock ? { clock: o.clock } : {}),
    applyPatch: o.applyPatch ?? ((obj, patch, opts) => applyPatch(obj, patch, opts)),
    ...(o.applyConfiguration ? { applyConfiguration: o.applyConfiguration } : {}),
  });
  await bootstrapNamespaces(registry);
  const http = new ApiHttpServer({
    registry,
    token: credentials.token,
    tls: { cert: credentials.serverCert, key: credentials.serverKey },
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 6443,
    printers: (plural) => o.printers?.(plural) ?? fallbackPrinter,
    ...(o.clock ? { clock: o.clock } : {}),
    decoders: { [PROTOBUF_CONTENT_TYPE]: (body: Buffer) => decodeProtobufObject(body), ...(o.decoders ?? {}) },
    parsePatch: o.parsePatch ?? ((ct, body) => parsePatchBody(ct, body)),
    ...(o.podStreams ? { podStreams: o.podStreams } : {}),
    ...(o.extraRoutes ? { extraRoutes: o.extraRoutes } : {}),
    ...(o.bookmarkIntervalMs ? { bookmarkIntervalMs: o.bookmarkIntervalMs } : {}),
    ...(o.log ? { log: o.log } : {}),
  });
  const { host, port } = await http.listen();
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
