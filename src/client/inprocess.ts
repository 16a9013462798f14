// The in-process transport: calls the registry directly (no HTTP, no JSON round trip), with the
// same semantics and the same Status errors as HTTPS.
import { notFound, toStatusError, type DeleteOptions, type KubeObject, type ResourceType, type Status, type WatchEvent } from '../api/index.js';
import { bindPod, finalizeNamespace, type Registry, type ResourceDef } from '../apiserver/index.js';
import type { AnyStored, ListOpts, PatchKind, Transport, WatchHandle, WatchOpts, WriteOpts } from './transport.js';

export class InProcessTransport implements Transport {
  constructor(private readonly registry: Registry) {}

  private def(t: ResourceType): ResourceDef {
    const d = this.registry.resource(t.group, t.plural);
    if (!d) throw notFound({ group: t.group, resource: t.plural }, '');
    return d;
  }

  get(t: ResourceType, namespace: string | undefined, name: string): Promise<AnyStored> {
    return this.registry.get(this.def(t), namespace, name);
  }

  list(t: ResourceType, namespace: string | undefined, opts: ListOpts) {
    return this.registry.list(this.def(t), namespace, opts);
  }

  async watch(t: ResourceType, namespace: string | undefined, opts: WatchOpts, onEvent: (e: WatchEvent<AnyStored>) => void): Promise<WatchHandle> {
    let finish!: (r: { error?: Status }) => void;
    const done = new Promise<{ error?: Status }>((r) => (finish = r));
    let w: { stop(): void } | undefined;
    let timer: NodeJS.Timeout | undefined;
    const stop = () => {
      w?.stop();
      if (timer) clearTimeout(timer);
      finish({});
    };
    try {
      w = await this.registry.watch(this.def(t), namespace, opts, {
        onEvent: (e) => {
          // Deliver asynchronously: handlers must never run inside the store's commit path.
          queueMicrotask(() => onEvent(e));
        },
      });
    } catch (e) {
      const se = toStatusError(e);
      if (se.status.code === 410) {
        finish({ error: se.status });
        return { stop: () => {}, done };
      }
      throw se;
    }
    if (opts.timeoutSeconds) {
      timer = setTimeout(stop, opts.timeoutSeconds * 1000);
      timer.unref();
    }
    return { stop, done };
  }

  create(t: ResourceType, namespace: string | undefined, obj: KubeObject, opts: WriteOpts) {
    return this.registry.create(this.def(t), namespace, obj, opts);
  }

  update(t: ResourceType, namespace: string | undefined, obj: KubeObject, opts: WriteOpts & { subresource?: 'status' }) {
    const name = obj.metadata.name ?? '';
    return opts.subresource === 'status'
      ? this.registry.updateStatus(this.def(t), namespace, name, obj, opts)
      : this.registry.update(this.def(t), namespace, name, obj, opts);
  }

  async patch(
    t: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: { type: PatchKind; body: unknown },
    opts: WriteOpts & { subresource?: 'status'; force?: boolean },
  ) {
    const r = await this.registry.patch(this.def(t), namespace, name, patch, { ...opts, subresource: opts.subresource ?? 'main' });
    return r.object;
  }

  async delete(t: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions): Promise<void> {
    await this.registry.delete(this.def(t), namespace, name, opts);
  }

  async deleteCollection(t: ResourceType, namespace: string | undefined, list: ListOpts, opts: DeleteOptions): Promise<void> {
    await this.registry.deleteCollection(this.def(t), namespace, list, opts);
  }

  finalizeNamespace(name: string, finalizers: string[]): Promise<AnyStored> {
    return finalizeNamespace(this.registry, name, finalizers);
  }

  bindPod(namespace: string, name: string, nodeName: string): Promise<void> {
    return bindPod(this.registry, namespace, name, nodeName);
  }
}
