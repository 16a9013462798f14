// coordination.k8s.io/v1 Lease validation (`ValidateLease`, `ValidateLeaseSpec`).
import type { Lease } from '../coordination.js';
import { field, root, type FieldError } from '../field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';

export function validateLease(lease: Lease): FieldError[] {
  const errs = validateObjectMeta(lease.metadata, { namespaced: true, nameRule: 'DNS1123Subdomain' });
  const spec = lease.spec ?? {};
  const d = spec.leaseDurationSeconds;
  if (d !== undefined && d !== null && d <= 0) errs.push(field.invalid(root('spec', 'leaseDurationSeconds'), d, 'must be greater than 0'));
  const t = spec.leaseTransitions;
  if (t !== undefined && t !== null && t < 0) errs.push(field.invalid(root('spec', 'leaseTransitions'), t, 'must be greater than or equal to 0'));
  return errs;
}

export function validateLeaseUpdate(lease: Lease, old: Lease): FieldError[] {
  return [...validateObjectMetaUpdate(lease.metadata, old.metadata), ...validateLease(lease)];
}
