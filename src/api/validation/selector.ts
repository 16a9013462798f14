// metav1 LabelSelector validation (apimachinery pkg/apis/meta/v1/validation ValidateLabelSelector).
import type { LabelSelector, LabelSelectorRequirement } from '../meta.js';
import { field, type FieldPath, type FieldError } from '../field.js';
import { isValidLabelValue } from '../names.js';
import { validateLabelName, validateLabels } from './objectmeta.js';

export interface LabelSelectorOptions {
  /** `AllowInvalidLabelValueInSelector`: workloads validate strictly (false). */
  allowInvalidLabelValue?: boolean;
}

export function validateLabelSelector(ls: LabelSelector | undefined | null, path: FieldPath, opts: LabelSelectorOptions = {}): FieldError[] {
  if (!ls) return [];
  const errs = validateLabels(ls.matchLabels, path.child('matchLabels'));
  (ls.matchExpressions ?? []).forEach((e, i) => errs.push(...validateLabelSelectorRequirement(e, path.child('matchExpressions').index(i), opts)));
  return errs;
}

export function validateLabelSelectorRequirement(sr: LabelSelectorRequirement, path: FieldPath, opts: LabelSelectorOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  const values = sr.values ?? [];
  switch (sr.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(field.required(path.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(field.forbidden(path.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      errs.push(field.invalid(path.child('operator'), String(sr.operator ?? ''), 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(sr.key ?? '', path.child('key')));
  if (!opts.allowInvalidLabelValue) {
    values.forEach((v, i) => {
      for (const msg of isValidLabelValue(v)) errs.push(field.invalid(path.child('values').index(i), v, msg));
    });
  }
  return errs;
}
