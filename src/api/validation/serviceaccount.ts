// ServiceAccount validation: metadata only (names are DNS-1123 subdomains).
import type { ServiceAccount } from '../core.js';
import type { FieldError } from '../field.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';

export function validateServiceAccount(sa: ServiceAccount): FieldError[] {
  return validateObjectMeta(sa.metadata, { namespaced: true, nameRule: 'DNS1123Subdomain' });
}

export function validateServiceAccountUpdate(sa: ServiceAccount, old: ServiceAccount): FieldError[] {
  return [...validateObjectMetaUpdate(sa.metadata, old.metadata), ...validateServiceAccount(sa)];
}
