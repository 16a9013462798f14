// The HTTPS transport: the same Transport over the REST API, for components in another process
// and for tests that drive the server from outside. JSON bodies; watches are streamed lines.
import { request, Agent } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { StatusError, apiVersionOf, type DeleteOptions, type KubeObject, type ObjectList, type ResourceType, type Status, type WatchEvent } from '../api/index.js';
import type { AnyStored, ListOpts, PatchKind, Transport, WatchHandle, WatchOpts, WriteOpts } from './transport.js';

export interface HttpsTransportOptions {
  /** `https://127.0.0.1:6443` */
  server: string;
  caCert: string;
  token: string;
  userAgent?: string;
}

const PATCH_CONTENT_TYPES: Record<PatchKind, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export class HttpsTransport implements Transport {
  private readonly base: URL;
  private readonly agent: Agent;
  /** Watches hold their connection for minutes: they get their own pool so they never queue requests. */
  private readonly watchAgent: Agent;

  constructor(private readonly o: HttpsTransportOptions) {
    this.base = new URL(o.server);
    this.agent = new Agent({ ca: o.caCert, keepAlive: true, maxSockets: 64 });
    this.watchAgent = new Agent({ ca: o.caCert, keepAlive: false, maxSockets: Infinity });
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }

  path(t: ResourceType, namespace: string | undefined, name?: string, sub?: string): string {
    const root = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
    const ns = t.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
    return `${root}${ns}/${t.plural}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}${sub ? `/${sub}` : ''}`;
  }

  /** Sends one request and parses a JSON answer; non-2xx answers become StatusErrors. */
  async call<T>(method: string, path: string, opts: { query?: Record<string, string | undefined>; body?: unknown; contentType?: string; accept?: string } = {}): Promise<T> {
    const res = await this.send(method, path, opts);
    const text = await readAll(res);
    const code = res.statusCode ?? 0;
    if (code < 200 || code > 299) throw toError(code, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  send(
    method: string,
    path: string,
    opts: { query?: Record<string, string | undefined>; body?: unknown; contentType?: string; accept?: string; longRunning?: boolean } = {},
  ): Promise<IncomingMessage> {
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, v);
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: opts.longRunning ? this.watchAgent : this.agent,
          headers: {
            Authorization: `Bearer ${this.o.token}`,
            Accept: opts.accept ?? 'application/json',
            'User-Agent': this.o.userAgent ?? 'kubeloop-client',
            ...(payload !== undefined ? { 'Content-Type': opts.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
          },
        },
        resolve,
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  get(t: ResourceType, namespace: string | undefined, name: string): Promise<AnyStored> {
    return this.call('GET', this.path(t, namespace, name));
  }

  list(t: ResourceType, namespace: string | undefined, opts: ListOpts): Promise<ObjectList<AnyStored>> {
    return this.call('GET', this.path(t, namespace), {
      query: {
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        limit: opts.limit ? String(opts.limit) : undefined,
        continue: opts.continue,
        resourceVersion: opts.resourceVersion,
      },
    });
  }

  async watch(t: ResourceType, namespace: string | undefined, opts: WatchOpts, onEvent: (e: WatchEvent<AnyStored>) => void): Promise<WatchHandle> {
    const res = await this.send('GET', this.path(t, namespace), {
      longRunning: true,
      query: {
        watch: 'true',
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        resourceVersion: opts.resourceVersion,
        allowWatchBookmarks: opts.allowWatchBookmarks ? 'true' : undefined,
        timeoutSeconds: opts.timeoutSeconds ? String(opts.timeoutSeconds) : undefined,
      },
    });
    const code = res.statusCode ?? 0;
    if (code !== 200) throw toError(code, await readAll(res));
    let finish!: (r: { error?: Status }) => void;
    const done = new Promise<{ error?: Status }>((r) => (finish = r));
    let error: Status | undefined;
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (!line) continue;
        let ev: WatchEvent<AnyStored>;
        try {
          ev = JSON.parse(line) as WatchEvent<AnyStored>;
        } catch {
          error = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `unable to decode watch event: ${line.slice(0, 200)}`, reason: 'InternalError', code: 500 };
          res.destroy();
          return;
        }
        if (ev.type === 'ERROR') error = ev.object;
        else onEvent(ev);
      }
    });
    const end = () => finish(error ? { error } : {});
    res.on('end', end);
    res.on('close', end);
    res.on('error', end);
    return { stop: () => res.destroy(), done };
  }

  create(t: ResourceType, namespace: string | undefined, obj: KubeObject, opts: WriteOpts): Promise<AnyStored> {
    return this.call('POST', this.path(t, namespace ?? obj.metadata.namespace), { body: withType(t, obj), query: writeQuery(opts) });
  }

  update(t: ResourceType, namespace: string | undefined, obj: KubeObject, opts: WriteOpts & { subresource?: 'status' }): Promise<AnyStored> {
    return this.call('PUT', this.path(t, namespace ?? obj.metadata.namespace, obj.metadata.name ?? '', opts.subresource), {
      body: withType(t, obj),
      query: writeQuery(opts),
    });
  }

  patch(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: { type: PatchKind; body: unknown },
    opts: WriteOpts & { subresource?: 'status'; force?: boolean },
  ): Promise<AnyStored> {
    return this.call('PATCH', this.path(t, namespace, name, opts.subresource), {
      body: patch.body,
      contentType: PATCH_CONTENT_TYPES[patch.type],
      query: { ...writeQuery(opts), force: opts.force ? 'true' : undefined },
    });
  }

  async delete(t: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions): Promise<void> {
    await this.call('DELETE', this.path(t, namespace, name), { body: { kind: 'DeleteOptions', apiVersion: 'v1', ...opts } });
  }

  async deleteCollection(t: ResourceType, namespace: string | undefined, list: ListOpts, opts: DeleteOptions): Promise<void> {
    await this.call('DELETE', this.path(t, namespace), {
      body: { kind: 'DeleteOptions', apiVersion: 'v1', ...opts },
      query: { labelSelector: list.labelSelector, fieldSelector: list.fieldSelector },
    });
  }

  finalizeNamespace(name: string, finalizers: string[]): Promise<AnyStored> {
    return this.call('PUT', `/api/v1/namespaces/${encodeURIComponent(name)}/finalize`, {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers } },
    });
  }

  async bindPod(namespace: string, name: string, nodeName: string): Promise<void> {
    await this.call('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/binding`, {
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } },
    });
  }
}

function withType(t: ResourceType, obj: KubeObject): KubeObject {
  return { ...obj, apiVersion: obj.apiVersion || apiVersionOf(t), kind: obj.kind || t.kind };
}

function writeQuery(opts: WriteOpts): Record<string, string | undefined> {
  return { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager };
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function toError(code: number, text: string): StatusError {
  try {
    const s = JSON.parse(text) as Status;
    if (s && s.kind === 'Status') return new StatusError(s);
  } catch {
    // not a Status body
  }
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: text || `HTTP ${code}`, reason: code === 404 ? 'NotFound' : 'InternalError', code });
}
