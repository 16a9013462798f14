// The Service registry strategy: defaulting, ClusterIP/NodePort allocation before validation
// (reverted when anything fails), validation, release on delete, and the start-up repair pass.
// The rules themselves live in api/service and apiserver/allocator; this wires them into the
// generic registry's hooks in upstream's order (allocator/README.md).
import { validateObjectMeta, validateObjectMetaUpdate, type Service, type Stored } from '../../api/index.js';
import { defaultService, prepareForCreate, prepareForUpdate, validateService, validateServiceUpdate } from '../../api/service/index.js';
import {
  allocateCreate,
  allocateUpdate,
  newServiceAllocators,
  releaseOnDelete,
  repairAllocators,
  type RepairReport,
  type ServiceAllocators,
  type ServiceAllocatorsOptions,
} from '../allocator/index.js';
import type { Strategy } from '../registry/types.js';
import { specStatusStrategy } from './common.js';

/** Replaces an object's contents in place (strategy hooks mutate the object they are given). */
function assignInPlace<T extends object>(target: T, source: T): void {
  for (const k of Object.keys(target)) delete (target as Record<string, unknown>)[k];
  Object.assign(target, source);
}

export interface ServiceRegistry {
  strategy: Strategy<Service>;
  allocators: ServiceAllocators;
  /** Rebuilds allocator state from the stored Services (oldest first), holding the reserved IPs. */
  repair(services: Stored<Service>[]): RepairReport;
}

export function serviceRegistry(opts: ServiceAllocatorsOptions & { onDeleted?: (svc: Stored<Service>) => void | Promise<void> } = {}): ServiceRegistry {
  const allocators = newServiceAllocators(opts);
  const strategy = specStatusStrategy<Service>({
    defaults(svc) {
      assignInPlace(svc, defaultService(svc));
    },
    prepareForCreate(svc) {
      assignInPlace(svc, prepareForCreate(svc));
    },
    prepareForUpdate(svc, old) {
      assignInPlace(svc, prepareForUpdate(svc, old as Service));
    },
    beginCreate(svc) {
      const r = allocateCreate(svc, allocators);
      if (!r.ok) throw r.status;
      assignInPlace(svc, r.service);
      return { commit: r.commit, revert: r.revert };
    },
    beginUpdate(svc, old) {
      const r = allocateUpdate({ next: svc, prev: old as Service }, allocators);
      if (!r.ok) throw r.status;
      assignInPlace(svc, r.service);
      return { commit: r.commit, revert: r.revert };
    },
    validate: (svc) => [...validateObjectMeta(svc.metadata, { namespaced: true, nameRule: 'DNS1035Label' }), ...validateService(svc)],
    validateUpdate: (svc, old) => [...validateObjectMetaUpdate(svc.metadata, old.metadata), ...validateServiceUpdate(svc, old as Service)],
    async afterDelete(svc) {
      releaseOnDelete(svc as Service, allocators);
      await opts.onDeleted?.(svc);
    },
    selectableFields: (s) => ({ 'spec.clusterIP': s.spec?.clusterIP ?? '', 'spec.type': s.spec?.type ?? '' }),
  });
  return {
    strategy,
    allocators,
    repair(services) {
      return repairAllocators(services as Service[], allocators, {
        reserve: [
          { ip: allocators.clusterIPs.addressAt(1), owner: 'default/kubernetes' },
          { ip: allocators.clusterIPs.addressAt(10), owner: 'kube-system/kube-dns' },
        ],
      });
    },
  };
}
