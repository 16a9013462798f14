// autoscaling/v1 Scale validation (`ValidateScale`).
import type { Scale } from '../apps.js';
import { field, root, type FieldError } from '../field.js';
import { validateObjectMeta } from './objectmeta.js';

export function validateScale(scale: Scale): FieldError[] {
  const errs = validateObjectMeta(scale.metadata, { namespaced: true, nameRule: 'DNS1123Subdomain' });
  const r = scale.spec?.replicas ?? 0;
  if (r < 0) errs.push(field.invalid(root('spec', 'replicas'), r, 'must be greater than or equal to 0'));
  return errs;
}
