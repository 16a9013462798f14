// Test support: a minimal in-memory Service registry that drives this folder's functions in the
// order the REST layer will (see serviceAllocation.ts), so tests can speak in creates, updates
// and deletes and check the answers a client would get.
import type { Service, ServiceSpec } from '../../api/core.js';
import { alreadyExists, invalid, notFound, type StatusError } from '../../api/errors.js';
import { deepCopy } from '../../api/objects.js';
import { defaultService, prepareForCreate, prepareForUpdate, validateService, validateServiceMeta, validateServiceUpdate } from '../../api/service/index.js';
import { allocateCreate, allocateUpdate, defaultServiceOnRead, releaseOnDelete, type ServiceAllocators } from './serviceAllocation.js';

export type Outcome = { ok: true; service: Service } | { ok: false; status: StatusError };

const SERVICE = { group: '', kind: 'Service' };
const SERVICES = { group: '', resource: 'services' };

export function service(name: string, spec: Partial<ServiceSpec> = {}, namespace = 'default'): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ port: 80 }], selector: { app: name }, ...spec } };
}

export class FakeRegistry {
  readonly store = new Map<string, Service>();

  constructor(readonly allocators: ServiceAllocators) {}

  private key(svc: Service): string {
    return `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;
  }

  get(name: string, namespace = 'default'): Service | undefined {
    const s = this.store.get(`${namespace}/${name}`);
    return s && deepCopy(s);
  }

  create(input: Service, opts: { dryRun?: boolean } = {}): Outcome {
    const alloc = allocateCreate(defaultService(input), this.allocators);
    if (!alloc.ok) return alloc;
    const prepared = prepareForCreate(alloc.service);
    const errs = [...validateServiceMeta(prepared), ...validateService(prepared)];
    if (errs.length > 0) {
      alloc.revert();
      return { ok: false, status: invalid(SERVICE, prepared.metadata.name ?? '', errs) };
    }
    const key = this.key(prepared);
    if (this.store.has(key)) {
      alloc.revert();
      return { ok: false, status: alreadyExists(SERVICES, prepared.metadata.name ?? '') };
    }
    if (opts.dryRun) {
      alloc.revert();
      return { ok: true, service: prepared };
    }
    this.store.set(key, deepCopy(prepared));
    alloc.commit();
    return { ok: true, service: prepared };
  }

  update(input: Service): Outcome {
    const key = this.key(input);
    const prev = this.store.get(key);
    if (!prev) return { ok: false, status: notFound(SERVICES, input.metadata.name ?? '') };
    const alloc = allocateUpdate({ next: defaultService(input), prev }, this.allocators);
    if (!alloc.ok) return alloc;
    const prepared = prepareForUpdate(alloc.service, prev);
    // Upstream validates against the stored object as read (beginUpdate defaults it in place).
    const errs = validateServiceUpdate(prepared, defaultServiceOnRead(prev));
    if (errs.length > 0) {
      alloc.revert();
      return { ok: false, status: invalid(SERVICE, prepared.metadata.name ?? '', errs) };
    }
    this.store.set(key, deepCopy(prepared));
    alloc.commit();
    return { ok: true, service: prepared };
  }

  delete(name: string, namespace = 'default'): Outcome {
    const key = `${namespace}/${name}`;
    const prev = this.store.get(key);
    if (!prev) return { ok: false, status: notFound(SERVICES, name) };
    this.store.delete(key);
    releaseOnDelete(prev, this.allocators);
    return { ok: true, service: prev };
  }
}

/** Unwraps a successful outcome or fails with the Status message. */
export function must(o: Outcome): Service {
  if (!o.ok) throw new Error(`expected success, got ${o.status.status.code}: ${o.status.message}`);
  return o.service;
}

/** The error message of a failed outcome; throws on success. */
export function failure(o: Outcome): { code: number; message: string; reason: string | undefined } {
  if (o.ok) throw new Error(`expected failure, got ${JSON.stringify(o.service.spec)}`);
  return { code: o.status.status.code, message: o.status.message, reason: o.status.status.reason };
}
