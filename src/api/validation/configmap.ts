// ConfigMap validation (`ValidateConfigMap`, `ValidateConfigMapUpdate`): keys, the 1 MiB total and
// immutability.
import type { ConfigMap } from '../core.js';
import { field, root, type FieldError } from '../field.js';
import { semanticEqual, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';
import { isConfigMapKey } from './_strings.js';

/** `core.MaxSecretSize`, which also bounds ConfigMaps. */
export const MAX_SECRET_SIZE = 1024 * 1024;

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs = validateObjectMeta(cm.metadata, { namespaced: true, nameRule: 'DNS1123Subdomain' });
  let total = 0;
  const data = cm.data ?? {};
  const binary = cm.binaryData ?? {};
  for (const key of Object.keys(data).sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(field.invalid(root('data').key(key), key, msg));
    if (Object.prototype.hasOwnProperty.call(binary, key)) errs.push(field.invalid(root('data').key(key), key, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(data[key] ?? '');
  }
  for (const key of Object.keys(binary).sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(field.invalid(root('binaryData').key(key), key, msg));
    total += Buffer.from(binary[key] ?? '', 'base64').length;
  }
  if (total > MAX_SECRET_SIZE) errs.push(field.tooLong(root(''), MAX_SECRET_SIZE));
  return errs;
}

export function validateConfigMapUpdate(cm: ConfigMap, old: ConfigMap): FieldError[] {
  const errs = validateObjectMetaUpdate(cm.metadata, old.metadata);
  if (old.immutable) {
    const msg = 'field is immutable when `immutable` is set';
    if (!cm.immutable) errs.push(field.forbidden(root('immutable'), msg));
    if (!semanticEqual(cm.data, old.data)) errs.push(field.forbidden(root('data'), msg));
    if (!semanticEqual(cm.binaryData, old.binaryData)) errs.push(field.forbidden(root('binaryData'), msg));
  }
  errs.push(...validateConfigMap(cm));
  return errs;
}
