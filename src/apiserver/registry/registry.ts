// The generic registry: create/get/list/watch/update/patch/delete/deletecollection over the
// store for every served resource, with the resource's strategy supplying everything
// kind-specific. The HTTP handlers and the in-process client both call this, so the two
// transports have identical semantics.
import { randomUUID } from 'node:crypto';
import {
  FieldSelectorParseError,
  SelectorParseError,
  alreadyExists,
  badRequest,
  conflict,
  deepCopy,
  forbidden,
  internalError,
  invalid,
  isPlainObject,
  notFound,
  OBJECT_MODIFIED,
  parseFieldSelector,
  parseSelector,
  resourceExpired,
  type DeleteOptions,
  type FieldError,
  type FieldSelector,
  type KubeObject,
  type ObjectList,
  type ObjectMeta,
  type ResourceType,
  type Selector,
  type Stored,
  type WatchEvent,
  generateName,
  apiVersionOf,
  type GroupResource,
} from '../../api/index.js';
import {
  CompactedError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
  type KeyValue,
  type Store,
  type StoreEvent,
} from '../../store/index.js';
import { objectKeyFor, prefixFor } from './keys.js';
import type { RequestContext, ResourceDef, Transaction } from './types.js';

export type AnyStored = Stored<KubeObject>;

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** Set by server-side apply, which records its own field ownership. */
  applied?: boolean;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Unset or "0": synthetic ADDED events for existing objects first, then changes. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** Interval between BOOKMARK events when bookmarks are allowed. */
  bookmarkIntervalMs?: number;
}

export interface Watch {
  stop(): void;
}

/** Receives watch events; `onError` gets a terminal StatusError (e.g. 410) after which the watch is dead. */
export interface WatchHandler {
  onEvent(e: WatchEvent<AnyStored>): void;
}

export type PatchFn = (original: KubeObject, patch: unknown, opts: { type: Exclude<PatchType, 'apply'>; apiVersion: string; kind: string }) => KubeObject;
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface RegistryOptions {
  store: Store;
  resources: ResourceDef[];
  clock?: () => Date;
  /** The patch engine (apiserver/patch). */
  applyPatch?: PatchFn;
  /** Records field ownership (metadata.managedFields) of an ordinary write by `manager`. */
  recordUpdate?: (live: KubeObject | undefined, next: KubeObject, o: { manager: string; now: Date; subresource?: 'status' }) => KubeObject;
  /** Server-side apply: merges an applied configuration into the live object (or creates). */
  applyConfiguration?: (live: KubeObject | undefined, applied: KubeObject, opts: { fieldManager: string; force: boolean }) => KubeObject;
}

const MAX_CONFLICT_RETRIES = 5;

/** RFC 3339 in whole seconds, as Kubernetes serializes metav1.Time. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class Registry {
  private readonly store: Store;
  private readonly clock: () => Date;
  private readonly byPlural = new Map<string, ResourceDef>();
  private readonly opts: RegistryOptions;

  constructor(opts: RegistryOptions) {
    this.opts = opts;
    this.store = opts.store;
    this.clock = opts.clock ?? (() => new Date());
    for (const r of opts.resources) this.byPlural.set(`${r.type.group}/${r.type.plural}`, r);
  }

  get resources(): ResourceDef[] {
    return [...this.byPlural.values()];
  }

  /** Looks a served resource up by group and plural (`''`, `pods`). */
  resource(group: string, plural: string): ResourceDef | undefined {
    return this.byPlural.get(`${group}/${plural}`);
  }

  /** Looks a served resource up by plural alone (unique across kubeloop's groups). */
  mustResource(plural: string): ResourceDef {
    for (const r of this.byPlural.values()) if (r.type.plural === plural) return r;
    throw new Error(`Cannot find resource ${plural}: not served`);
  }

  currentRevision(): Promise<number> {
    return this.store.currentRevision();
  }

  compact(revision: number): Promise<void> {
    return this.store.compact(revision);
  }

  // ---------------------------------------------------------------- reads

  async get(res: ResourceDef, namespace: string | undefined, name: string): Promise<AnyStored> {
    const kv = await this.store.get(objectKeyFor(res.type, namespace, name));
    if (!kv) throw notFound(gr(res.type), name);
    return decode(kv);
  }

  async list(res: ResourceDef, namespace: string | undefined, opts: ListOptions = {}): Promise<ObjectList<AnyStored>> {
    const { labels, fields } = this.selectors(res, opts);
    const prefix = prefixFor(res.type, namespace);
    let afterKey: string | undefined;
    let revision: number | undefined;
    if (opts.continue) {
      const token = decodeContinue(opts.continue);
      if (!token.start.startsWith(prefix)) throw badRequest('continue key is not valid: key is not under the list prefix');
      afterKey = token.start;
      revision = token.rv;
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : undefined;
    const items: AnyStored[] = [];
    let listRevision = 0;
    let more = false;
    let lastKey: string | undefined;
    try {
      // Filter while paging so `limit` counts matching objects, as the apiserver does.
      for (;;) {
        const page = await this.store.list(prefix, {
          ...(afterKey !== undefined ? { afterKey } : {}),
          ...(revision !== undefined ? { revision } : {}),
          ...(limit ? { limit: Math.max(limit - items.length, 1) * (labels.isEmpty() && fields.isEmpty() ? 1 : 4) } : {}),
        });
        listRevision = page.revision;
        revision = page.revision;
        for (const kv of page.items) {
          lastKey = kv.key;
          const obj = decode(kv);
          if (!this.matches(res, obj, labels, fields)) continue;
          items.push(obj);
          if (limit && items.length >= limit) break;
        }
        if (limit && items.length >= limit) {
          more = page.more || page.items.at(-1)?.key !== lastKey;
          break;
        }
        if (!page.more) break;
        afterKey = lastKey;
      }
    } catch (e) {
      if (e instanceof CompactedError) {
        throw resourceExpired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      }
      throw e;
    }
    const metadata: ObjectList<AnyStored>['metadata'] = { resourceVersion: String(listRevision) };
    if (more && lastKey !== undefined) metadata.continue = encodeContinue({ rv: listRevision, start: lastKey });
    return { apiVersion: apiVersionOf(res.type), kind: res.type.listKind, metadata, items };
  }

  async watch(res: ResourceDef, namespace: string | undefined, opts: WatchOptions, handler: WatchHandler): Promise<Watch> {
    const { labels, fields } = this.selectors(res, opts);
    const prefix = prefixFor(res.type, namespace);
    const rvText = opts.resourceVersion ?? '';
    let afterRevision: number;
    if (rvText === '' || rvText === '0') {
      // Synthetic ADDED events for the current state, then changes after it.
      const initial = await this.store.list(prefix);
      for (const kv of initial.items) {
        const obj = decode(kv);
        if (this.matches(res, obj, labels, fields)) handler.onEvent({ type: 'ADDED', object: obj });
      }
      afterRevision = initial.revision;
    } else {
      afterRevision = parseResourceVersion(rvText);
    }
    let lastRevision = afterRevision;
    let stopped = false;
    let storeWatch: { stop(): void };
    try {
      storeWatch = await this.store.watch(prefix, { afterRevision }, (e) => {
        if (stopped) return;
        lastRevision = e.kv.modRevision;
        const ev = this.toWatchEvent(res, e, labels, fields);
        if (ev) handler.onEvent(ev);
      });
    } catch (e) {
      if (e instanceof CompactedError) throw resourceExpired(`too old resource version: ${afterRevision} (${e.compacted})`);
      throw e;
    }
    let timer: NodeJS.Timeout | undefined;
    if (opts.allowWatchBookmarks) {
      timer = setInterval(() => {
        if (stopped) return;
        void this.store.currentRevision().then((rev) => {
          if (stopped) return;
          // Store events are delivered synchronously on commit, so every event up to `rev` has
          // already reached this watch: a bookmark at `rev` is safe.
          const at = Math.max(lastRevision, rev);
          handler.onEvent({
            type: 'BOOKMARK',
            object: { apiVersion: apiVersionOf(res.type), kind: res.type.kind, metadata: { resourceVersion: String(at) } } as AnyStored,
          });
        });
      }, opts.bookmarkIntervalMs ?? 60_000);
      timer.unref();
    }
    return {
      stop: () => {
        stopped = true;
        if (timer) clearInterval(timer);
        storeWatch.stop();
      },
    };
  }

  // ---------------------------------------------------------------- writes

  async create(res: ResourceDef, namespace: string | undefined, input: unknown, opts: WriteOptions = {}): Promise<AnyStored> {
    const ctx = this.context(opts);
    const obj = this.decodeBody(res, input);
    this.bindNamespace(res, obj, namespace);
    await this.assertNamespaceWritable(res, obj.metadata.namespace);
    const s = res.strategy;
    s.defaults?.(obj, { forCreate: true });
    if (!opts.applied) this.recordOwnership(undefined, obj, ctx);
    // Server-owned metadata: clients may not set these on create.
    const meta = obj.metadata;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.resourceVersion;
    delete meta.selfLink;
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(ctx.now);
    if (s.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    s.prepareForCreate?.(obj, ctx);
    const txn = s.beginCreate?.(obj, ctx);
    try {
      const errs = s.validate(obj, ctx);
      if (errs.length) throw invalid(gk(res.type), meta.name ?? '', errs);
      s.canonicalize?.(obj);
      cleanMeta(meta);
      if (ctx.dryRun) {
        txn?.revert();
        return { ...obj, metadata: { ...meta, resourceVersion: '' } } as AnyStored;
      }
      const key = objectKeyFor(res.type, meta.namespace, meta.name ?? '');
      let kv: KeyValue;
      try {
        kv = await this.store.create(key, encode(obj));
      } catch (e) {
        if (e instanceof KeyExistsError) throw alreadyExists(gr(res.type), meta.name ?? '');
        throw e;
      }
      txn?.commit();
      const stored = decode(kv);
      await s.afterCreate?.(stored, ctx);
      return stored;
    } catch (e) {
      txn?.revert();
      throw e;
    }
  }

  /** PUT: replace the object; `metadata.resourceVersion`, when given, must be current. */
  async update(res: ResourceDef, namespace: string | undefined, name: string, input: unknown, opts: WriteOptions = {}): Promise<AnyStored> {
    const obj = this.decodeBody(res, input);
    this.bindNamespace(res, obj, namespace);
    if (obj.metadata.name !== name) {
      throw badRequest(`the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${name})`);
    }
    const key = objectKeyFor(res.type, obj.metadata.namespace, name);
    const kv = await this.store.get(key);
    if (!kv) {
      if (res.strategy.allowCreateOnUpdate) return this.create(res, namespace, obj, opts);
      throw notFound(gr(res.type), name);
    }
    const old = decode(kv);
    const wanted = obj.metadata.resourceVersion;
    if (wanted && wanted !== old.metadata.resourceVersion) throw conflict(gr(res.type), name, OBJECT_MODIFIED);
    return this.commitUpdate(res, old, obj, 'main', this.context(opts));
  }

  async updateStatus(res: ResourceDef, namespace: string | undefined, name: string, input: unknown, opts: WriteOptions = {}): Promise<AnyStored> {
    const obj = this.decodeBody(res, input);
    this.bindNamespace(res, obj, namespace);
    if (obj.metadata.name !== name) {
      throw badRequest(`the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${name})`);
    }
    const old = await this.get(res, obj.metadata.namespace, name);
    const wanted = obj.metadata.resourceVersion;
    if (wanted && wanted !== old.metadata.resourceVersion) throw conflict(gr(res.type), name, OBJECT_MODIFIED);
    return this.commitUpdate(res, old, obj, 'status', this.context(opts));
  }

  /**
   * Read-modify-write with retries on conflict: `mutate` gets a copy of the current object and
   * returns the desired one (or throws a StatusError). Used by PATCH and the subresources.
   */
  async guaranteedUpdate(
    res: ResourceDef,
    namespace: string | undefined,
    name: string,
    mutate: (current: AnyStored) => KubeObject | Promise<KubeObject>,
    opts: WriteOptions & { subresource?: 'main' | 'status' | 'finalize' | 'binding'; preconditionResourceVersion?: string } = {},
  ): Promise<AnyStored> {
    const ctx = this.context(opts);
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(res, namespace, name);
      if (opts.preconditionResourceVersion && opts.preconditionResourceVersion !== current.metadata.resourceVersion) {
        throw conflict(gr(res.type), name, OBJECT_MODIFIED);
      }
      const next = await mutate(deepCopy(current));
      const obj = this.decodeBody(res, next);
      this.bindNamespace(res, obj, namespace);
      if (obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${name})`);
      const patchedRv = obj.metadata.resourceVersion;
      if (patchedRv && patchedRv !== current.metadata.resourceVersion) throw conflict(gr(res.type), name, OBJECT_MODIFIED);
      obj.metadata.resourceVersion = current.metadata.resourceVersion;
      try {
        return await this.commitUpdate(res, current, obj, opts.subresource ?? 'main', ctx);
      } catch (e) {
        // Retry a lost race: the mutation runs again on the fresh object, so a real precondition
        // (a resourceVersion the client put in its patch) fails the check above next time.
        const retriable = (e as { status?: { reason?: string } }).status?.reason === 'Conflict' && !opts.preconditionResourceVersion;
        if (!retriable || attempt >= MAX_CONFLICT_RETRIES) throw e;
      }
    }
  }

  async patch(
    res: ResourceDef,
    namespace: string | undefined,
    name: string,
    patch: { type: PatchType; body: unknown },
    opts: WriteOptions & { subresource?: 'main' | 'status'; force?: boolean; validate?: (patched: KubeObject) => KubeObject } = {},
  ): Promise<{ object: AnyStored; created: boolean }> {
    const type = patch.type;
    if (type === 'apply') return this.apply(res, namespace, name, patch.body, opts);
    const applyPatch = this.opts.applyPatch;
    if (!applyPatch) throw internalError('patching is not configured');
    const object = await this.guaranteedUpdate(
      res,
      namespace,
      name,
      (current) => {
        const patched = applyPatch(current, patch.body, { type, apiVersion: current.apiVersion, kind: current.kind });
        return opts.validate ? opts.validate(patched) : patched;
      },
      { ...opts, subresource: opts.subresource ?? 'main' },
    );
    return { object, created: false };
  }

  /** Applies a JSON, merge or strategic merge patch to any object (used by subresources like scale). */
  patchObject(original: KubeObject, patch: unknown, type: PatchType): KubeObject {
    if (type === 'apply') throw badRequest('apply patches are not supported on this subresource');
    const applyPatch = this.opts.applyPatch;
    if (!applyPatch) throw internalError('patching is not configured');
    return applyPatch(original, patch, { type, apiVersion: original.apiVersion, kind: original.kind });
  }

  /** Server-side apply: create when missing, else merge the applied configuration. */
  private async apply(
    res: ResourceDef,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions & { subresource?: 'main' | 'status'; force?: boolean },
  ): Promise<{ object: AnyStored; created: boolean }> {
    const fieldManager = opts.fieldManager;
    if (!fieldManager) throw badRequest('PATCH, application/apply-patch+yaml requests must have a fieldManager query parameter');
    const applied = this.decodeBody(res, body);
    if (applied.metadata.name !== undefined && applied.metadata.name !== name) {
      throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
    }
    applied.metadata.name = name;
    const merge = this.opts.applyConfiguration ?? ((live: KubeObject | undefined, a: KubeObject) => (live ? { ...live, ...a, metadata: { ...live.metadata, ...a.metadata } } : a));
    for (let attempt = 0; ; attempt++) {
      let current: AnyStored | undefined;
      try {
        current = await this.get(res, namespace ?? applied.metadata.namespace, name);
      } catch (e) {
        if ((e as { status?: { reason?: string } }).status?.reason !== 'NotFound') throw e;
      }
      if (!current) {
        try {
          const created = merge(undefined, deepCopy(applied), { fieldManager, force: opts.force ?? false });
          return { object: await this.create(res, namespace, created, { ...opts, applied: true }), created: true };
        } catch (e) {
          if ((e as { status?: { reason?: string } }).status?.reason === 'AlreadyExists' && attempt < MAX_CONFLICT_RETRIES) continue;
          throw e;
        }
      }
      try {
        const object = await this.guaranteedUpdate(res, namespace, name, (cur) => merge(cur, deepCopy(applied), { fieldManager, force: opts.force ?? false }), {
          ...opts,
          applied: true,
          subresource: opts.subresource ?? 'main',
        });
        return { object, created: false };
      } catch (e) {
        if ((e as { status?: { reason?: string } }).status?.reason === 'NotFound' && attempt < MAX_CONFLICT_RETRIES) continue;
        throw e;
      }
    }
  }

  async delete(
    res: ResourceDef,
    namespace: string | undefined,
    name: string,
    opts: DeleteOptions = {},
  ): Promise<{ object: AnyStored; deleted: boolean }> {
    const ctx = this.context({ dryRun: !!opts.dryRun?.includes('All') });
    for (let attempt = 0; ; attempt++) {
      const cur = await this.get(res, namespace, name);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== cur.metadata.uid) {
        throw conflict(gr(res.type), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
        throw conflict(
          gr(res.type),
          name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion}`,
        );
      }
      const next = deepCopy(cur);
      const decision = res.strategy.decideDelete?.(next, opts, ctx) ?? { graceful: false };
      const finalizers = new Set(next.metadata.finalizers ?? []);
      const policy = opts.propagationPolicy ?? (opts.orphanDependents === true ? 'Orphan' : undefined);
      if (policy === 'Foreground') {
        finalizers.add('foregroundDeletion');
        finalizers.delete('orphan');
      } else if (policy === 'Orphan') {
        finalizers.add('orphan');
        finalizers.delete('foregroundDeletion');
      }
      const alreadyMarked = !!cur.metadata.deletionTimestamp;
      const mustMark = decision.graceful || finalizers.size > 0;
      if (ctx.dryRun) return { object: cur, deleted: !mustMark };
      try {
        if (mustMark) {
          if (finalizers.size) next.metadata.finalizers = [...finalizers];
          const grace = decision.graceful ? (decision.gracePeriodSeconds ?? 0) : 0;
          if (!alreadyMarked) {
            next.metadata.deletionTimestamp = rfc3339(new Date(ctx.now.getTime() + grace * 1000));
            next.metadata.deletionGracePeriodSeconds = grace;
          } else if (decision.graceful && grace < (cur.metadata.deletionGracePeriodSeconds ?? 0)) {
            // A shorter grace period shortens a pending deletion, never lengthens it.
            next.metadata.deletionTimestamp = rfc3339(new Date(ctx.now.getTime() + grace * 1000));
            next.metadata.deletionGracePeriodSeconds = grace;
          }
          if (JSON.stringify(next) === JSON.stringify(cur)) return { object: cur, deleted: false };
          const kv = await this.store.update(objectKeyFor(res.type, cur.metadata.namespace, name), encode(stripRv(next)), Number(cur.metadata.resourceVersion));
          return { object: decode(kv), deleted: false };
        }
        const kv = await this.store.delete(objectKeyFor(res.type, cur.metadata.namespace, name), { expectedRevision: Number(cur.metadata.resourceVersion) });
        const gone = decode(kv);
        await res.strategy.afterDelete?.(gone, ctx);
        return { object: gone, deleted: true };
      } catch (e) {
        if ((e instanceof RevisionMismatchError || e instanceof KeyNotFoundError) && attempt < MAX_CONFLICT_RETRIES) continue;
        if (e instanceof KeyNotFoundError) throw notFound(gr(res.type), name);
        throw e;
      }
    }
  }

  async deleteCollection(
    res: ResourceDef,
    namespace: string | undefined,
    listOpts: ListOptions,
    opts: DeleteOptions = {},
  ): Promise<ObjectList<AnyStored>> {
    const list = await this.list(res, namespace, { ...listOpts, limit: 0 });
    const items: AnyStored[] = [];
    for (const o of list.items) {
      try {
        items.push((await this.delete(res, o.metadata.namespace, o.metadata.name, opts)).object);
      } catch (e) {
        if ((e as { status?: { reason?: string } }).status?.reason !== 'NotFound') throw e;
      }
    }
    return { ...list, items };
  }

  // ---------------------------------------------------------------- internals

  private context(opts: WriteOptions): RequestContext {
    return { now: this.clock(), dryRun: !!opts.dryRun, ...(opts.fieldManager ? { fieldManager: opts.fieldManager } : {}), ...(opts.applied ? { applied: true } : {}) };
  }

  /** managedFields for an ordinary (non-apply) write, as upstream's fieldmanager records them. */
  private recordOwnership(live: KubeObject | undefined, obj: KubeObject, ctx: RequestContext, subresource?: 'status'): void {
    if (!this.opts.recordUpdate || ctx.applied) return;
    const next = this.opts.recordUpdate(live, obj, { manager: ctx.fieldManager ?? 'kubeloop', now: ctx.now, ...(subresource ? { subresource } : {}) });
    if (next.metadata.managedFields?.length) obj.metadata.managedFields = next.metadata.managedFields;
    else delete obj.metadata.managedFields;
  }

  private selectors(res: ResourceDef, opts: { labelSelector?: string; fieldSelector?: string }): { labels: Selector; fields: FieldSelector } {
    let labels: Selector;
    let fields: FieldSelector;
    try {
      labels = parseSelector(opts.labelSelector ?? '');
    } catch (e) {
      if (e instanceof SelectorParseError) throw badRequest(e.message);
      throw e;
    }
    try {
      fields = parseFieldSelector(opts.fieldSelector ?? '');
    } catch (e) {
      if (e instanceof FieldSelectorParseError) throw badRequest(e.message);
      throw e;
    }
    if (!fields.isEmpty()) {
      const supported = new Set(['metadata.name', 'metadata.namespace', ...supportedFields(res)]);
      for (const f of fields.fields()) if (!supported.has(f)) throw badRequest(`field label not supported: ${f}`);
    }
    return { labels, fields };
  }

  private matches(res: ResourceDef, obj: AnyStored, labels: Selector, fields: FieldSelector): boolean {
    if (!labels.isEmpty() && !labels.matches(obj.metadata.labels)) return false;
    if (fields.isEmpty()) return true;
    return fields.matches(fieldSet(res, obj));
  }

  private toWatchEvent(res: ResourceDef, e: StoreEvent, labels: Selector, fields: FieldSelector): WatchEvent<AnyStored> | undefined {
    const obj = decode(e.kv);
    if (e.type === 'delete') return this.matches(res, obj, labels, fields) ? { type: 'DELETED', object: obj } : undefined;
    const now = this.matches(res, obj, labels, fields);
    if (!e.prev) return now ? { type: 'ADDED', object: obj } : undefined;
    const prev = decode(e.prev);
    const before = this.matches(res, prev, labels, fields);
    if (now && before) return { type: 'MODIFIED', object: obj };
    if (now) return { type: 'ADDED', object: obj };
    if (before) {
      // Moved out of the selection: the watcher sees it deleted, at this event's revision.
      prev.metadata.resourceVersion = obj.metadata.resourceVersion;
      return { type: 'DELETED', object: prev };
    }
    return undefined;
  }

  /** Parses and checks the envelope of an incoming object (apiVersion, kind, metadata). */
  private decodeBody(res: ResourceDef, input: unknown): KubeObject {
    if (!isPlainObject(input)) throw badRequest('the object provided is not a JSON object');
    const obj = deepCopy(input) as unknown as KubeObject;
    const want = apiVersionOf(res.type);
    if (obj.kind === undefined || obj.kind === '') obj.kind = res.type.kind;
    if (obj.apiVersion === undefined || obj.apiVersion === '') obj.apiVersion = want;
    if (typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string') throw badRequest('apiVersion and kind must be strings');
    if (obj.apiVersion !== want) {
      throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
    }
    if (obj.kind !== res.type.kind) {
      throw badRequest(`${obj.kind} in version "${res.type.version}" cannot be handled as a ${res.type.kind}: the kind in the data does not match the expected kind`);
    }
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
    if (!isPlainObject(obj.metadata)) throw badRequest(`${res.type.kind} in version "${res.type.version}" cannot be handled as a ${res.type.kind}: metadata must be an object`);
    return obj;
  }

  private bindNamespace(res: ResourceDef, obj: KubeObject, namespace: string | undefined): void {
    if (!res.type.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    const inBody = obj.metadata.namespace;
    if (namespace !== undefined && namespace !== '') {
      if (inBody && inBody !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = namespace;
    }
  }

  private async assertNamespaceWritable(res: ResourceDef, namespace: string | undefined): Promise<void> {
    if (!res.type.namespaced) return;
    if (!namespace) return; // validation reports the missing namespace
    const nsRes = this.resource('', 'namespaces');
    if (!nsRes) return;
    const kv = await this.store.get(objectKeyFor(nsRes.type, undefined, namespace));
    if (!kv) throw notFound({ group: '', resource: 'namespaces' }, namespace);
    const ns = decode(kv);
    if (ns.metadata.deletionTimestamp) {
      const err = forbidden(gr(res.type), '', `unable to create new content in namespace ${namespace} because it is being terminated`);
      err.status.details = { ...(err.status.details ?? {}), causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }] };
      throw err;
    }
  }

  private async commitUpdate(res: ResourceDef, old: AnyStored, obj: KubeObject, sub: 'main' | 'status' | 'finalize' | 'binding', ctx: RequestContext): Promise<AnyStored> {
    const s = res.strategy;
    const name = old.metadata.name;
    s.defaults?.(obj, { forCreate: false });
    // Server-owned metadata is carried from the stored object.
    const meta = obj.metadata;
    meta.uid = old.metadata.uid;
    meta.creationTimestamp = old.metadata.creationTimestamp;
    meta.name = old.metadata.name;
    if (old.metadata.namespace) meta.namespace = old.metadata.namespace;
    if (old.metadata.deletionTimestamp) {
      meta.deletionTimestamp = old.metadata.deletionTimestamp;
      if (old.metadata.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    if (meta.generateName === undefined && old.metadata.generateName !== undefined) meta.generateName = old.metadata.generateName;
    // An unconditional update (no resourceVersion) applies to the version read.
    meta.resourceVersion = old.metadata.resourceVersion;
    let errs: FieldError[];
    let txn: Transaction | undefined;
    if (sub === 'status') {
      if (s.prepareForStatusUpdate) s.prepareForStatusUpdate(obj, old, ctx);
      else defaultStatusUpdate(obj, old);
      this.recordOwnership(old, obj, ctx, 'status');
      errs = s.validateStatusUpdate?.(obj, old, ctx) ?? [];
    } else if (sub === 'binding') {
      // pods/binding writes spec.nodeName and the PodScheduled condition through its own storage
      // path (upstream BindingREST.setPodHostAndAnnotations): no update validation applies.
      errs = [];
    } else if (sub === 'finalize') {
      // /finalize changes only spec.finalizers; everything else is the stored object's.
      const finalizers = (obj as unknown as { spec?: { finalizers?: string[] } }).spec?.finalizers ?? [];
      const keep = deepCopy(old) as unknown as { spec?: { finalizers?: string[] } };
      keep.spec = { ...(keep.spec ?? {}), finalizers };
      Object.assign(obj, keep, { metadata: obj.metadata });
      errs = s.validateUpdate(obj, old, ctx);
    } else {
      s.prepareForUpdate?.(obj, old, ctx);
      this.recordOwnership(old, obj, ctx);
      txn = s.beginUpdate?.(obj, old, ctx);
      errs = s.validateUpdate(obj, old, ctx);
    }
    try {
      if (errs.length) throw invalid(gk(res.type), name, errs);
      if (s.tracksGeneration) {
        const specOf = (o: KubeObject) => JSON.stringify((o as unknown as { spec?: unknown }).spec ?? null);
        meta.generation = (old.metadata.generation ?? 1) + (sub === 'main' && specOf(obj) !== specOf(old) ? 1 : 0);
      } else {
        delete meta.generation;
      }
      s.canonicalize?.(obj);
      cleanMeta(meta);
      const key = objectKeyFor(res.type, old.metadata.namespace, name);
      const finalizersGone =
        !!meta.deletionTimestamp && !(meta.finalizers?.length) && !(s.hasSpecFinalizers?.(obj as AnyStored) ?? false) && (meta.deletionGracePeriodSeconds ?? 0) === 0;
      // A no-op update is not written: same resourceVersion, no watch event (as upstream).
      if (!finalizersGone && sameContent(obj, old)) {
        txn?.revert();
        return old;
      }
      if (ctx.dryRun) {
        txn?.revert();
        return { ...obj, metadata: { ...meta, resourceVersion: old.metadata.resourceVersion } } as AnyStored;
      }
      let kv: KeyValue;
      try {
        if (finalizersGone) {
          kv = await this.store.delete(key, { expectedRevision: Number(old.metadata.resourceVersion) });
        } else {
          kv = await this.store.update(key, encode(stripRv(obj)), Number(old.metadata.resourceVersion));
        }
      } catch (e) {
        if (e instanceof RevisionMismatchError) throw conflict(gr(res.type), name, OBJECT_MODIFIED);
        if (e instanceof KeyNotFoundError) throw notFound(gr(res.type), name);
        throw e;
      }
      txn?.commit();
      const stored = decode(kv);
      if (finalizersGone) await s.afterDelete?.(stored, ctx);
      return stored;
    } catch (e) {
      txn?.revert();
      throw e;
    }
  }
}

// ---------------------------------------------------------------- helpers

export function gr(t: ResourceType): GroupResource {
  return { group: t.group, resource: t.plural };
}

export function gk(t: ResourceType): { group: string; kind: string } {
  return { group: t.group, kind: t.kind };
}

function decode(kv: KeyValue): AnyStored {
  const obj = JSON.parse(kv.value) as AnyStored;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

function stripRv<T extends KubeObject>(obj: T): T {
  const copy = { ...obj, metadata: { ...obj.metadata } };
  delete copy.metadata.resourceVersion;
  return copy;
}

function encode(obj: KubeObject): string {
  return JSON.stringify(stripRv(obj));
}

/** Drops empty optional metadata so stored objects look like upstream's (omitempty). */
function cleanMeta(meta: ObjectMeta): void {
  for (const k of ['labels', 'annotations'] as const) if (meta[k] && Object.keys(meta[k]!).length === 0) delete meta[k];
  for (const k of ['ownerReferences', 'finalizers', 'managedFields'] as const) if (meta[k] && meta[k]!.length === 0) delete meta[k];
  if (meta.generateName === '') delete meta.generateName;
}

function sameContent(a: KubeObject, b: KubeObject): boolean {
  return encode(a) === encode(b);
}

function defaultStatusUpdate(obj: KubeObject, old: AnyStored): void {
  // /status may change status and labels/annotations; everything else comes from the stored object.
  const o = obj as unknown as Record<string, unknown>;
  const prev = old as unknown as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete o[k];
  for (const k of Object.keys(prev)) if (k !== 'status' && k !== 'metadata') o[k] = deepCopy(prev[k]);
  const labels = obj.metadata.labels;
  const annotations = obj.metadata.annotations;
  const rv = obj.metadata.resourceVersion;
  obj.metadata = deepCopy(old.metadata);
  if (labels !== undefined) obj.metadata.labels = labels;
  else delete obj.metadata.labels;
  if (annotations !== undefined) obj.metadata.annotations = annotations;
  else delete obj.metadata.annotations;
  if (rv !== undefined) obj.metadata.resourceVersion = rv;
}

function supportedFields(res: ResourceDef): string[] {
  return res.strategy.selectableFields ? Object.keys(res.strategy.selectableFields(emptyObject(res))) : [];
}

const emptyObjects = new Map<string, AnyStored>();
function emptyObject(res: ResourceDef): AnyStored {
  let o = emptyObjects.get(res.type.plural);
  if (!o) {
    o = { apiVersion: apiVersionOf(res.type), kind: res.type.kind, metadata: { name: '', uid: '', resourceVersion: '', creationTimestamp: '' } };
    emptyObjects.set(res.type.plural, o);
  }
  return o;
}

function fieldSet(res: ResourceDef, obj: AnyStored): Record<string, string> {
  return {
    'metadata.name': obj.metadata.name,
    'metadata.namespace': obj.metadata.namespace ?? '',
    ...(res.strategy.selectableFields?.(obj) ?? {}),
  };
}

function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version: "${rv}"`);
  return Number(rv);
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString()) as { v?: string; rv?: number; start?: string };
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad token');
    return { rv: t.rv, start: t.start };
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}
