// Namespace validation (`ValidateNamespace`, `ValidateNamespaceUpdate`): names are DNS-1123 labels.
import type { Namespace } from '../core.js';
import { root, type FieldError } from '../field.js';
import { validateFinalizers, validateKubeFinalizerName, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';

export function validateNamespace(ns: Namespace): FieldError[] {
  const errs = validateObjectMeta(ns.metadata, { namespaced: false, nameRule: 'DNS1123Label' });
  const path = root('spec', 'finalizers');
  for (const f of ns.spec?.finalizers ?? []) {
    errs.push(...validateFinalizers([f], path), ...validateKubeFinalizerName(f, path));
  }
  return errs;
}

/** Only metadata is checked: the namespace strategy keeps spec and status from the stored object. */
export function validateNamespaceUpdate(newNs: Namespace, oldNs: Namespace): FieldError[] {
  return validateObjectMetaUpdate(newNs.metadata, oldNs.metadata);
}
