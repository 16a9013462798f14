// testing/: helpers shared by tests — an in-memory API (registry over a memory store) and a fake
// clock. Not used by production code.
import { Registry, builtinResources, type BuiltinResourceOptions } from '../apiserver/index.js';
import { Client, InProcessTransport, type Clock } from '../client/index.js';
import { SqliteStore } from '../store/index.js';
import type { PatchFn } from '../apiserver/registry/registry.js';
import { applyPatch } from '../apiserver/patch/index.js';

export interface MemoryApi {
  registry: Registry;
  client: Client;
  store: SqliteStore;
  close(): Promise<void>;
}

/** A registry over an in-memory sqlite store, with the system namespaces, and a client on it. */
export async function memoryApi(opts: { resources?: BuiltinResourceOptions; clock?: () => Date; applyPatch?: PatchFn } = {}): Promise<MemoryApi> {
  const store = new SqliteStore(':memory:');
  const registry = new Registry({
    store,
    resources: builtinResources(opts.resources),
    applyPatch: opts.applyPatch ?? ((o, p, x) => applyPatch(o, p, x)),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    await registry.create(registry.mustResource('namespaces'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  return { registry, client: new Client(new InProcessTransport(registry)), store, close: () => store.close() };
}

/** A manual clock: timers fire only when `advance` passes their time. */
export class FakeClock implements Clock {
  private t: number;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;
  constructor(start = Date.UTC(2026, 10, 1)) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  date = (): Date => new Date(this.t);
  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return { cancel: () => void (this.timers = this.timers.filter((x) => x.id !== id)) };
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
  get pending(): number {
    return this.timers.length;
  }
}

/** Polls `fn` until it returns a truthy value (bounded); for tests of asynchronous convergence. */
export async function eventually<T>(fn: () => T | Promise<T>, opts: { timeoutMs?: number; intervalMs?: number; message?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 5000);
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${opts.message ?? 'condition not met'} within ${opts.timeoutMs ?? 5000} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 10));
  }
}
