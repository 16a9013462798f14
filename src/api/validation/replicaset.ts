// apps/v1 ReplicaSet validation (pkg/apis/apps/validation: ValidateReplicaSet, ValidateReplicaSetSpec,
// ValidatePodTemplateSpecForReplicaSet, ValidateReplicaSetStatus) plus the apps/v1 strategy rule
// that the selector is immutable.
import type { PodTemplateSpec } from '../core.js';
import type { ReplicaSet, ReplicaSetSpec, ReplicaSetStatus } from '../apps.js';
import type { LabelSelector } from '../meta.js';
import { field, root, type FieldPath, type FieldError } from '../field.js';
import { fromLabelSelector, type Selector } from '../labels.js';
import { validateImmutable, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';
import { validateLabelSelector } from './selector.js';
import { validatePodTemplateSpec, type PodValidationOptions } from './podspec.js';
import { goLabelSelector, goStringMap } from './_gofmt.js';

/** The selector checks workloads share: required, valid, non-empty. */
export function validateWorkloadSelector(selector: LabelSelector | undefined, path: FieldPath): FieldError[] {
  if (!selector) return [field.required(path)];
  const errs = validateLabelSelector(selector, path, { allowInvalidLabelValue: false });
  if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length === 0) {
    errs.push(field.invalid(path, goLabelSelector(selector), 'empty selector is invalid for deployment'));
  }
  return errs;
}

/** `ValidatePodTemplateSpecForReplicaSet`: the selector must match the template labels; restartPolicy Always. */
export function validatePodTemplateSpecForReplicaSet(
  template: PodTemplateSpec | undefined,
  ctx: { selector: Selector; path: FieldPath },
  opts: PodValidationOptions = {},
): FieldError[] {
  if (!template) return [field.required(ctx.path)];
  const errs: FieldError[] = [];
  const labels = template.metadata?.labels;
  if (!ctx.selector.isEmpty() && !ctx.selector.matches(labels)) {
    errs.push(field.invalid(ctx.path.child('metadata', 'labels'), goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, ctx.path, opts));
  if (template.spec?.restartPolicy !== 'Always') {
    errs.push(field.notSupported(ctx.path.child('spec', 'restartPolicy'), template.spec?.restartPolicy ?? '', ['Always']));
  }
  const ads = template.spec?.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) {
    errs.push(field.invalid(ctx.path.child('spec', 'activeDeadlineSeconds'), ads, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

/** `ValidateReplicaSetSpec`. */
export function validateReplicaSetSpec(s: ReplicaSetSpec, path: FieldPath, opts: PodValidationOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateNonnegative(s.replicas, path.child('replicas')));
  errs.push(...validateNonnegative(s.minReadySeconds, path.child('minReadySeconds')));
  errs.push(...validateWorkloadSelector(s.selector, path.child('selector')));
  errs.push(...validatePodTemplateSpecForReplicaSet(s.template, { selector: fromLabelSelector(s.selector), path: path.child('template') }, opts));
  return errs;
}

export function validateReplicaSet(rs: ReplicaSet, opts: PodValidationOptions = {}): FieldError[] {
  return [...validateObjectMeta(rs.metadata, { namespaced: true, nameRule: 'DNS1123Subdomain' }), ...validateReplicaSetSpec(rs.spec, root('spec'), opts)];
}

/** Update: metadata update rules, the spec, and (apps/v1) an immutable selector. */
export function validateReplicaSetUpdate(rs: ReplicaSet, old: ReplicaSet, opts: PodValidationOptions = {}): FieldError[] {
  return [
    ...validateObjectMetaUpdate(rs.metadata, old.metadata),
    ...validateReplicaSetSpec(rs.spec, root('spec'), opts),
    ...validateImmutable(rs.spec.selector, old.spec.selector, root('spec', 'selector'), (v) => (v ? goLabelSelector(v as LabelSelector) : null)),
  ];
}

/** `ValidateReplicaSetStatus`. */
export function validateReplicaSetStatus(status: ReplicaSetStatus | undefined, path: FieldPath = root('status')): FieldError[] {
  const s = status ?? { replicas: 0 };
  const errs: FieldError[] = [];
  errs.push(...validateNonnegative(s.replicas, path.child('replicas')));
  errs.push(...validateNonnegative(s.fullyLabeledReplicas, path.child('fullyLabeledReplicas')));
  errs.push(...validateNonnegative(s.readyReplicas, path.child('readyReplicas')));
  errs.push(...validateNonnegative(s.availableReplicas, path.child('availableReplicas')));
  errs.push(...validateNonnegative(s.observedGeneration, path.child('observedGeneration')));
  const msg = 'cannot be greater than status.replicas';
  const replicas = s.replicas ?? 0;
  for (const key of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const) {
    const v = s[key] ?? 0;
    if (v > replicas) errs.push(field.invalid(path.child(key), v, msg));
  }
  if ((s.availableReplicas ?? 0) > (s.readyReplicas ?? 0)) {
    errs.push(field.invalid(path.child('availableReplicas'), s.availableReplicas ?? 0, 'cannot be greater than readyReplicas'));
  }
  return errs;
}
