// The HTTPS front of the API server: authentication, routing, body decoding, content
// negotiation (JSON, Table, PartialObjectMetadata), watch streaming, and the mapping of every
// failure to a Status. All object semantics live in the registry.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { Duplex } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import {
  badRequest,
  methodNotSupported,
  notFoundPath,
  requestEntityTooLarge,
  successStatus,
  toStatusError,
  unauthorized,
  unsupportedMediaType,
  type DeleteOptions,
  type KubeObject,
  type Pod,
  type Scale,
  type Status,
  type Stored,
  type WatchEvent,
  isPlainObject,
  apiVersionOf,
  type Binding,
} from '../../api/index.js';
import { gr, type AnyStored, type PatchType, type Registry } from '../registry/registry.js';
import type { ResourceDef } from '../registry/types.js';
import {
  AGGREGATED_V2,
  AGGREGATED_V2BETA1,
  aggregatedDiscovery,
  aggregatedVersion,
  legacyApiVersions,
  legacyGroup,
  legacyGroupList,
  legacyResourceList,
} from './discovery.js';
import { bindPod, finalizeNamespace, getScale, updateScale } from '../registry/subresources.js';
import { negotiate, partialMetadata, toTable, type IncludeObject, type TablePrinter } from './table.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4-kubeloop',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-01T00:00:00Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Pod streams served by node agents (logs now; exec, attach, port-forward by upgrade). */
export interface PodStreams {
  logs(pod: Stored<Pod>, query: URLSearchParams, res: ServerResponse): Promise<void>;
  upgrade?(kind: 'exec' | 'attach' | 'portforward', pod: Stored<Pod>, req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** Decoders for request bodies beyond JSON and YAML (protobuf), keyed by media type. */
export type BodyDecoder = (body: Buffer) => unknown;

export interface ExtraRoute {
  /** Exact path, or a prefix ending in `/`. */
  path: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> | void;
}

export interface ApiServerHttpOptions {
  registry: Registry;
  token: string;
  tls: { cert: string; key: string };
  host: string;
  port: number;
  printers: (plural: string) => TablePrinter;
  clock?: () => Date;
  decoders?: Record<string, BodyDecoder>;
  parsePatch?: (contentType: string, body: string, opts: { fieldValidation?: FieldValidation }) => { type: Exclude<PatchType, 'apply'>; patch: unknown };
  /** fieldValidation=Strict|Warn|Ignore on writes (apiserver/openapi), with the schema's pruning. */
  fieldValidation?: FieldValidationHooks;
  podStreams?: PodStreams;
  extraRoutes?: ExtraRoute[];
  /** Interval of BOOKMARK events on watches that allow them. */
  bookmarkIntervalMs?: number;
  log?: (line: Record<string, unknown>) => void;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';
export interface Gvk {
  apiVersion: string;
  kind: string;
}

export interface FieldValidationHooks {
  directive(q: URLSearchParams, options: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions'): FieldValidation;
  validateBody(o: { text: string; format: 'json' | 'yaml'; object: unknown; gvk: Gvk; directive: FieldValidation }): { warnings: string[] };
  validatePatch(o: { patchText: string; patched: unknown; gvk: Gvk; directive: FieldValidation }): { warnings: string[] };
  validateApplyBody(o: { text: string; directive: FieldValidation }): { warnings: string[] };
  warningHeaders(warnings: readonly string[]): string[];
  prune<T>(value: T, gvk: Gvk): T;
}

const gvkOf = (t: Target): Gvk => ({ apiVersion: apiVersionOf(t.res.type), kind: t.res.type.kind });

/** The request's field manager: the query parameter, else the user agent's prefix (upstream default). */
function fieldManagerOf(req: IncomingMessage, q: URLSearchParams): string {
  const m = q.get('fieldManager');
  if (m) return m;
  const ua = req.headers['user-agent'] ?? '';
  return ua.split('/')[0]!.trim().slice(0, 128) || 'unknown';
}

function appendWarnings(res: ServerResponse, headers: string[]): void {
  if (res.headersSent || headers.length === 0) return;
  const prev = res.getHeader('Warning');
  const list = prev === undefined ? [] : Array.isArray(prev) ? prev.map(String) : [String(prev)];
  res.setHeader('Warning', [...list, ...headers]);
}

interface Target {
  res: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export class ApiHttpServer {
  readonly server: Server;
  private readonly o: ApiServerHttpOptions;
  private readonly tokenBuf: Buffer;
  private readonly openWatches = new Set<() => void>();

  constructor(o: ApiServerHttpOptions) {
    this.o = o;
    this.tokenBuf = Buffer.from(o.token);
    this.server = createHttpsServer({ cert: o.tls.cert, key: o.tls.key, ALPNProtocols: ['http/1.1'] }, (req, res) => {
      this.handle(req, res).catch((e) => this.fail(res, e));
    });
    this.server.keepAliveTimeout = 65_000;
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head));
  }

  listen(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host, () => {
        this.server.off('error', reject);
        const a = this.server.address();
        resolve({ host: this.o.host, port: typeof a === 'object' && a ? a.port : this.o.port });
      });
    });
  }

  async close(): Promise<void> {
    for (const stop of this.openWatches) stop();
    this.openWatches.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---------------------------------------------------------------- dispatch

  private authorized(req: IncomingMessage): boolean {
    const h = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(h);
    if (!m) return false;
    const got = Buffer.from(m[1]!.trim());
    return got.length === this.tokenBuf.length && timingSafeEqual(got, this.tokenBuf);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    if (!this.authorized(req)) {
      this.sendStatus(res, unauthorized().status);
      return;
    }
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    for (const r of this.o.extraRoutes ?? []) {
      if (r.path.endsWith('/') ? path.startsWith(r.path) || path === r.path.slice(0, -1) : path === r.path) {
        await r.handle(req, res, url);
        return;
      }
    }
    switch (path) {
      case '/version':
        return this.sendJson(res, 200, VERSION_INFO);
      case '/healthz':
      case '/livez':
      case '/readyz':
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
        res.end('ok');
        return;
      case '/api':
      case '/apis': {
        const types = this.o.registry.resources.map((r) => r.type);
        const v = aggregatedVersion(req.headers.accept);
        if (v) {
          res.setHeader('Content-Type', v === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1);
          return this.writeJson(res, 200, aggregatedDiscovery(types, { core: path === '/api', version: v }));
        }
        const addr = `${this.o.host}:${(this.server.address() as { port: number } | null)?.port ?? this.o.port}`;
        return this.sendJson(res, 200, path === '/api' ? legacyApiVersions(addr) : legacyGroupList(types));
      }
    }
    if (path.startsWith('/healthz/') || path.startsWith('/livez/') || path.startsWith('/readyz/')) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok');
      return;
    }
    const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (seg[0] === 'api' && seg.length >= 2) {
      group = '';
      version = seg[1]!;
      rest = seg.slice(2);
    } else if (seg[0] === 'apis' && seg.length >= 2) {
      group = seg[1]!;
      if (seg.length === 2) {
        const g = legacyGroup(this.o.registry.resources.map((r) => r.type), group);
        if (!g) throw notFoundPath();
        return this.sendJson(res, 200, g);
      }
      version = seg[2]!;
      rest = seg.slice(3);
    } else {
      throw notFoundPath();
    }
    if (rest.length === 0) {
      const list = legacyResourceList(this.o.registry.resources.map((r) => r.type), group, version);
      if (!list) throw notFoundPath();
      return this.sendJson(res, 200, list);
    }
    let watchPath = false;
    if (rest[0] === 'watch') {
      watchPath = true;
      rest = rest.slice(1);
    }
    const target = this.resolve(group, version, rest);
    await this.serveResource(req, res, url, target, method, watchPath);
  }

  private resolve(group: string, version: string, rest: string[]): Target {
    const find = (plural: string) => {
      const r = this.o.registry.resource(group, plural);
      return r && r.type.version === version ? r : undefined;
    };
    // /namespaces/{ns}/{plural}[/{name}[/{sub}]] for namespaced kinds.
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const r = find(rest[2]!);
      if (r && r.type.namespaced) {
        if (rest.length > 5) throw notFoundPath();
        return { res: r, namespace: rest[1]!, ...(rest[3] !== undefined ? { name: rest[3] } : {}), ...(rest[4] !== undefined ? { subresource: rest[4] } : {}) };
      }
    }
    const r = find(rest[0]!);
    if (!r || rest.length > 3) throw notFoundPath();
    if (r.type.namespaced && rest.length > 1) throw notFoundPath();
    return { res: r, ...(rest[1] !== undefined ? { name: rest[1] } : {}), ...(rest[2] !== undefined ? { subresource: rest[2] } : {}) };
  }

  private async serveResource(req: IncomingMessage, res: ServerResponse, url: URL, t: Target, method: string, watchPath: boolean): Promise<void> {
    const q = url.searchParams;
    const reg = this.o.registry;
    const writeOpts = { dryRun: q.getAll('dryRun').includes('All'), fieldManager: fieldManagerOf(req, q) };
    const allowed = (verb: string) => t.res.type.verbs.includes(verb as never);
    if (t.subresource) return this.serveSubresource(req, res, url, t, method);
    if (!t.name) {
      // Collection.
      if (method === 'GET') {
        const isWatch = watchPath || q.get('watch') === 'true' || q.get('watch') === '1';
        if (isWatch) return this.serveWatch(req, res, t, q);
        const list = await reg.list(t.res, t.namespace, listOptions(q));
        return this.sendList(req, res, t, list.items, list.metadata, q);
      }
      if (method === 'POST') {
        if (!allowed('create')) throw methodNotSupported(gr(t.res.type), 'create');
        const body = await this.readValidated(req, res, q, gvkOf(t), 'CreateOptions');
        const created = await reg.create(t.res, t.namespace, body, writeOpts);
        return this.sendObject(req, res, t, 201, created);
      }
      if (method === 'DELETE') {
        if (!allowed('deletecollection')) throw methodNotSupported(gr(t.res.type), 'deletecollection');
        const opts = await this.deleteOptions(req, q);
        const list = await reg.deleteCollection(t.res, t.namespace, listOptions(q), opts);
        return this.sendJson(res, 200, list);
      }
      throw methodNotSupported(gr(t.res.type), method.toLowerCase());
    }
    switch (method) {
      case 'GET': {
        if (watchPath) {
          q.set('fieldSelector', [q.get('fieldSelector'), `metadata.name=${t.name}`].filter(Boolean).join(','));
          return this.serveWatch(req, res, t, q);
        }
        const obj = await reg.get(t.res, t.namespace, t.name);
        return this.sendObject(req, res, t, 200, obj);
      }
      case 'PUT': {
        const body = await this.readValidated(req, res, q, gvkOf(t), 'UpdateOptions');
        const obj = await reg.update(t.res, t.namespace, t.name, body, writeOpts);
        return this.sendObject(req, res, t, 200, obj);
      }
      case 'PATCH': {
        const p = await this.readPatch(req, q);
        const r = await reg.patch(t.res, t.namespace, t.name, { type: p.type, body: p.patch }, {
          ...writeOpts,
          force: q.get('force') === 'true',
          ...this.patchValidation(res, p, gvkOf(t)),
        });
        return this.sendObject(req, res, t, r.created ? 201 : 200, r.object);
      }
      case 'DELETE': {
        const opts = await this.deleteOptions(req, q);
        const r = await reg.delete(t.res, t.namespace, t.name, opts);
        if (!r.deleted) return this.sendObject(req, res, t, 200, r.object);
        return this.sendJson(
          res,
          200,
          successStatus({ name: t.name, ...(t.res.type.group ? { group: t.res.type.group } : {}), kind: t.res.type.plural, uid: r.object.metadata.uid }),
        );
      }
      default:
        throw methodNotSupported(gr(t.res.type), method.toLowerCase());
    }
  }

  private async serveSubresource(req: IncomingMessage, res: ServerResponse, url: URL, t: Target, method: string): Promise<void> {
    const reg = this.o.registry;
    const name = t.name!;
    const sub = t.subresource!;
    const q = url.searchParams;
    const writeOpts = { dryRun: q.getAll('dryRun').includes('All'), fieldManager: fieldManagerOf(req, q) };
    const declared = t.res.type.subresources.find((s) => s.name === sub);
    if (!declared) throw notFoundPath();
    switch (sub) {
      case 'status': {
        if (method === 'GET') return this.sendJson(res, 200, await reg.get(t.res, t.namespace, name));
        if (method === 'PUT') {
          const body = await this.readValidated(req, res, q, gvkOf(t), 'UpdateOptions');
          return this.sendJson(res, 200, await reg.updateStatus(t.res, t.namespace, name, body, writeOpts));
        }
        if (method === 'PATCH') {
          const p = await this.readPatch(req, q);
          const r = await reg.patch(t.res, t.namespace, name, { type: p.type, body: p.patch }, { ...writeOpts, subresource: 'status', ...this.patchValidation(res, p, gvkOf(t)) });
          return this.sendJson(res, 200, r.object);
        }
        break;
      }
      case 'finalize': {
        if (method === 'PUT') {
          const body = (await this.readObject(req)) as { spec?: { finalizers?: string[] } };
          return this.sendJson(res, 200, await finalizeNamespace(reg, name, body.spec?.finalizers ?? [], writeOpts));
        }
        break;
      }
      case 'scale': {
        if (method === 'GET') return this.sendJson(res, 200, await getScale(reg, t.res, t.namespace, name));
        if (method === 'PUT') {
          const scale = (await this.readObject(req)) as Scale;
          return this.sendJson(res, 200, await updateScale(reg, t.res, t.namespace, name, { scale }, writeOpts));
        }
        if (method === 'PATCH') {
          const { type, patch } = await this.readPatch(req);
          return this.sendJson(res, 200, await updateScale(reg, t.res, t.namespace, name, { patch, type }, writeOpts));
        }
        break;
      }
      case 'binding': {
        if (method === 'POST') {
          const binding = (await this.readObject(req)) as Binding;
          const node = binding?.target?.name;
          if (!node) throw badRequest('Binding target name is required');
          await bindPod(reg, t.namespace ?? '', name, node, writeOpts);
          return this.sendJson(res, 201, successStatus());
        }
        break;
      }
      case 'log': {
        if (method !== 'GET') break;
        const pod = (await reg.get(t.res, t.namespace, name)) as unknown as Stored<Pod>;
        if (!this.o.podStreams) throw badRequest(`pod ${name} has no node agent to read logs from`);
        await this.o.podStreams.logs(pod, q, res);
        return;
      }
      default: {
        // exec, attach and portforward arrive as upgrades (handleUpgrade); a plain request is refused.
        throw badRequest(`Upgrade request required`);
      }
    }
    throw methodNotSupported(gr(t.res.type), method.toLowerCase());
  }

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (s: Status) => {
      const body = JSON.stringify(s);
      socket.end(`HTTP/1.1 ${s.code} ${statusText(s.code)}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    socket.on('error', () => socket.destroy());
    if (!this.authorized(req)) return refuse(unauthorized().status);
    const url = new URL(req.url ?? '/', 'https://localhost');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/.exec(url.pathname);
    if (!m) return refuse(notFoundPath().status);
    const [, ns, name, kind] = m;
    const podsRes = this.o.registry.resource('', 'pods');
    if (!podsRes || !this.o.podStreams?.upgrade) return refuse(badRequest(`${kind} is not available on this server`).status);
    this.o.registry
      .get(podsRes, decodeURIComponent(ns!), decodeURIComponent(name!))
      .then((pod) => this.o.podStreams!.upgrade!(kind as 'exec' | 'attach' | 'portforward', pod as unknown as Stored<Pod>, req, socket, head))
      .catch((e) => refuse(toStatusError(e).status));
  }

  // ---------------------------------------------------------------- watch

  private async serveWatch(req: IncomingMessage, res: ServerResponse, t: Target, q: URLSearchParams): Promise<void> {
    const rep = negotiate(req.headers.accept);
    const printer = rep.as === 'Table' ? this.o.printers(t.res.type.plural) : undefined;
    const include = includeObject(q);
    let headersSent = false;
    let first = true;
    const write = (e: WatchEvent<AnyStored>) => {
      if (!headersSent) {
        headersSent = true;
        res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
      }
      let object: unknown = e.object;
      if (e.type !== 'ERROR' && e.type !== 'BOOKMARK') {
        if (printer) {
          object = toTable(printer, [e.object], { now: this.now(), includeObject: include, noHeaders: !first });
          first = false;
        } else if (rep.as === 'PartialObjectMetadata' || rep.as === 'PartialObjectMetadataList') {
          object = partialMetadata(e.object);
        }
      }
      res.write(JSON.stringify({ type: e.type, object }) + '\n');
    };
    const timeoutSeconds = Number(q.get('timeoutSeconds') ?? '0');
    let stop: (() => void) | undefined;
    const done = () => {
      stop?.();
      if (stop) this.openWatches.delete(stop);
      if (!res.writableEnded) res.end();
    };
    req.on('close', done);
    res.on('close', done);
    try {
      const w = await this.o.registry.watch(
        t.res,
        t.namespace,
        {
          ...(q.get('labelSelector') ? { labelSelector: q.get('labelSelector')! } : {}),
          ...(q.get('fieldSelector') ? { fieldSelector: q.get('fieldSelector')! } : {}),
          ...(q.has('resourceVersion') ? { resourceVersion: q.get('resourceVersion')! } : {}),
          allowWatchBookmarks: q.get('allowWatchBookmarks') === 'true',
          ...(this.o.bookmarkIntervalMs ? { bookmarkIntervalMs: this.o.bookmarkIntervalMs } : {}),
        },
        { onEvent: write },
      );
      stop = () => w.stop();
      this.openWatches.add(stop);
      if (res.destroyed || req.destroyed) done();
    } catch (e) {
      const se = toStatusError(e);
      if (se.status.code === 410) {
        // As the watch cache does: 200, then one ERROR event carrying the Expired status.
        write({ type: 'ERROR', object: se.status });
        res.end();
        return;
      }
      throw e;
    }
    if (!headersSent) {
      headersSent = true;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
      res.flushHeaders();
    }
    if (timeoutSeconds > 0) {
      const timer = setTimeout(done, timeoutSeconds * 1000);
      timer.unref();
      res.on('close', () => clearTimeout(timer));
    }
  }

  // ---------------------------------------------------------------- bodies

  private async readBody(req: IncomingMessage): Promise<Buffer> {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      throw requestEntityTooLarge(`limit is ${MAX_BODY_BYTES}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.resume();
        throw requestEntityTooLarge(`limit is ${MAX_BODY_BYTES}`);
      }
      chunks.push(c);
    }
    return Buffer.concat(chunks);
  }

  /** Reads a body as an object, with its raw text and format when it was JSON or YAML. */
  private async readBodyObject(req: IncomingMessage): Promise<{ object: unknown; text?: string; format?: 'json' | 'yaml' }> {
    const body = await this.readBody(req);
    const ct = mediaType(req.headers['content-type']);
    if (ct === '' || ct === 'application/json' || ct === '*/*') {
      return { object: parseJsonBody(body), text: body.toString('utf8'), format: 'json' };
    }
    if (ct === 'application/yaml' || ct === 'application/x-yaml' || ct === 'text/yaml') {
      const text = body.toString('utf8');
      try {
        return { object: parseYaml(text, { uniqueKeys: false }), text, format: 'yaml' };
      } catch (e) {
        throw badRequest(`error converting YAML to JSON: yaml: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    const decoder = this.o.decoders?.[ct];
    if (decoder) {
      try {
        return { object: decoder(body) };
      } catch (e) {
        throw badRequest((e as Error).message);
      }
    }
    throw unsupportedMediaType(ct, ['application/json', 'application/yaml', ...Object.keys(this.o.decoders ?? {})]);
  }

  private async readObject(req: IncomingMessage): Promise<unknown> {
    return (await this.readBodyObject(req)).object;
  }

  /**
   * Reads a create/update body and applies `fieldValidation` (Strict: 400 on unknown or
   * duplicate fields; Warn, the default: Warning headers; Ignore) and Go-like type checks,
   * returning the object with unknown fields dropped, as decoding into a typed struct does.
   */
  private async readValidated(req: IncomingMessage, res: ServerResponse, q: URLSearchParams, gvk: Gvk, options: 'CreateOptions' | 'UpdateOptions'): Promise<unknown> {
    const body = await this.readBodyObject(req);
    const fv = this.o.fieldValidation;
    if (!fv || body.text === undefined || !body.format) return body.object;
    const directive = fv.directive(q, options);
    const { warnings } = fv.validateBody({ text: body.text, format: body.format, object: body.object, gvk, directive });
    if (warnings.length) appendWarnings(res, fv.warningHeaders(warnings));
    return fv.prune(body.object, gvk);
  }

  private async readPatch(req: IncomingMessage, q?: URLSearchParams): Promise<{ type: PatchType; patch: unknown; text: string; directive?: FieldValidation }> {
    const body = await this.readBody(req);
    const text = body.toString('utf8');
    const ct = mediaType(req.headers['content-type']);
    const directive = q && this.o.fieldValidation ? this.o.fieldValidation.directive(q, 'PatchOptions') : undefined;
    if (ct === 'application/apply-patch+yaml' || ct === 'application/apply-patch+cbor') {
      if (ct !== 'application/apply-patch+yaml') throw unsupportedMediaType(ct, PATCH_TYPES);
      let patch: unknown;
      try {
        patch = parseYaml(text, { uniqueKeys: false });
      } catch (e) {
        throw badRequest(`error decoding YAML: ${(e as Error).message.split('\n')[0]}`);
      }
      return { type: 'apply', patch, text, ...(directive ? { directive } : {}) };
    }
    if (!PATCH_TYPES.includes(ct)) throw unsupportedMediaType(ct, PATCH_TYPES);
    if (this.o.parsePatch) return { ...this.o.parsePatch(ct, text, directive ? { fieldValidation: directive } : {}), text, ...(directive ? { directive } : {}) };
    const patch = parseJsonBody(body);
    const type: PatchType = ct === 'application/json-patch+json' ? 'json' : ct === 'application/merge-patch+json' ? 'merge' : 'strategic';
    return { type, patch, text, ...(directive ? { directive } : {}) };
  }

  /** The field-validation hook of a PATCH: checks the patched object and collects warnings. */
  private patchValidation(res: ServerResponse, p: { type: PatchType; text: string; directive?: FieldValidation }, gvk: Gvk) {
    const fv = this.o.fieldValidation;
    if (!fv || !p.directive) return {};
    const directive = p.directive;
    if (p.type === 'apply') {
      const { warnings } = fv.validateApplyBody({ text: p.text, directive });
      if (warnings.length) appendWarnings(res, fv.warningHeaders(warnings));
      return {};
    }
    return {
      validate: (patched: KubeObject): KubeObject => {
        const { warnings } = fv.validatePatch({ patchText: p.text, patched, gvk, directive });
        if (warnings.length && !res.headersSent) appendWarnings(res, fv.warningHeaders(warnings));
        return fv.prune(patched, gvk);
      },
    };
  }

  private async deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
    const body = await this.readBody(req);
    let opts: DeleteOptions = {};
    if (body.length) {
      const parsed = parseJsonBody(body);
      if (!isPlainObject(parsed)) throw badRequest('DeleteOptions must be an object');
      opts = parsed as DeleteOptions;
    }
    const grace = q.get('gracePeriodSeconds');
    if (grace !== null) opts.gracePeriodSeconds = Number(grace);
    const pp = q.get('propagationPolicy');
    if (pp) opts.propagationPolicy = pp as DeleteOptions['propagationPolicy'];
    if (opts.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
      throw badRequest(`DeleteOptions.propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
    }
    if (q.get('dryRun') === 'All') opts.dryRun = ['All'];
    return opts;
  }

  // ---------------------------------------------------------------- responses

  private now(): Date {
    return (this.o.clock ?? (() => new Date()))();
  }

  private sendObject(req: IncomingMessage, res: ServerResponse, t: Target, code: number, obj: AnyStored): void {
    const rep = negotiate(req.headers.accept);
    if (rep.as === 'Table') {
      const printer = this.o.printers(t.res.type.plural);
      return this.sendJson(res, code, toTable(printer, [obj], { now: this.now(), includeObject: 'Metadata', resourceVersion: obj.metadata.resourceVersion }));
    }
    if (rep.as === 'PartialObjectMetadata') return this.sendJson(res, code, partialMetadata(obj));
    return this.sendJson(res, code, obj);
  }

  private sendList(req: IncomingMessage, res: ServerResponse, t: Target, items: AnyStored[], metadata: { resourceVersion?: string; continue?: string }, q: URLSearchParams): void {
    const rep = negotiate(req.headers.accept);
    if (rep.as === 'Table') {
      const printer = this.o.printers(t.res.type.plural);
      return this.sendJson(
        res,
        200,
        toTable(printer, items, {
          now: this.now(),
          includeObject: includeObject(q),
          ...(metadata.resourceVersion !== undefined ? { resourceVersion: metadata.resourceVersion } : {}),
          ...(metadata.continue ? { continue: metadata.continue } : {}),
        }),
      );
    }
    if (rep.as === 'PartialObjectMetadataList' || rep.as === 'PartialObjectMetadata') {
      return this.sendJson(res, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: items.map(partialMetadata) });
    }
    return this.sendJson(res, 200, { kind: t.res.type.listKind, apiVersion: apiVersionOf(t.res.type), metadata, items });
  }

  private sendJson(res: ServerResponse, code: number, body: unknown): void {
    res.setHeader('Content-Type', 'application/json');
    this.writeJson(res, code, body);
  }

  private writeJson(res: ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.setHeader('Cache-Control', 'no-cache, private');
    res.writeHead(code);
    res.end(text);
  }

  private sendStatus(res: ServerResponse, s: Status): void {
    this.sendJson(res, s.code, s);
  }

  private fail(res: ServerResponse, e: unknown): void {
    const se = toStatusError(e);
    if (se.status.code >= 500) this.o.log?.({ level: 'error', msg: 'request failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    this.sendStatus(res, se.status);
  }
}

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

function mediaType(ct: string | undefined): string {
  return (ct ?? '').split(';')[0]!.trim().toLowerCase();
}

function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('Object \'Kind\' is missing in \'\'');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

function includeObject(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Metadata' || v === 'Object') return v;
  throw badRequest(`includeObject: Unsupported value: "${v}": supported values: "None", "Metadata", "Object"`);
}

function listOptions(q: URLSearchParams) {
  const limit = Number(q.get('limit') ?? '0');
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`limit: Invalid value: "${q.get('limit')}": must be a non-negative integer`);
  return {
    ...(q.get('labelSelector') ? { labelSelector: q.get('labelSelector')! } : {}),
    ...(q.get('fieldSelector') ? { fieldSelector: q.get('fieldSelector')! } : {}),
    ...(limit ? { limit } : {}),
    ...(q.get('continue') ? { continue: q.get('continue')! } : {}),
    ...(q.get('resourceVersion') ? { resourceVersion: q.get('resourceVersion')! } : {}),
  };
}

function statusText(code: number): string {
  return (
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 500: 'Internal Server Error' } as Record<number, string>
  )[code] ?? 'Error';
}

