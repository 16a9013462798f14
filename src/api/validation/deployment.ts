// apps/v1 Deployment validation (pkg/apis/apps/validation: ValidateDeployment, ValidateDeploymentSpec,
// ValidateDeploymentStrategy, ValidateRollingUpdateDeployment, ValidateDeploymentStatus) plus the
// apps/v1 strategy rule that the selector is immutable.
import type { IntOrString } from '../core.js';
import type { Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy } from '../apps.js';
import type { LabelSelector } from '../meta.js';
import { field, GoValue, goQuote, root, type FieldPath, type FieldError } from '../field.js';
import { fromLabelSelector } from '../labels.js';
import { validateImmutable, validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';
import { validatePodTemplateSpecForReplicaSet, validateWorkloadSelector } from './replicaset.js';
import type { PodValidationOptions } from './podspec.js';
import { goIntOrString, goLabelSelector } from './_gofmt.js';
import { isValidPercent } from './_strings.js';

function percentValue(v: IntOrString | undefined): number | undefined {
  if (typeof v !== 'string' || !v.endsWith('%')) return undefined;
  const n = Number(v.slice(0, -1));
  return Number.isInteger(n) ? n : undefined;
}

function intOrPercentValue(v: IntOrString | undefined): number {
  if (typeof v === 'number') return v;
  return percentValue(v) ?? 0;
}

/** `ValidatePositiveIntOrPercent`. */
function validatePositiveIntOrPercent(v: IntOrString | undefined, path: FieldPath): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => field.invalid(path, goIntOrString(v), m));
  return validateNonnegative(v ?? 0, path);
}

/** `ValidateDeploymentStrategy`. */
export function validateDeploymentStrategy(strategy: DeploymentStrategy | undefined, path: FieldPath): FieldError[] {
  const s = strategy ?? {};
  switch (s.type) {
    case 'Recreate':
      return s.rollingUpdate ? [field.forbidden(path.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      const ru = s.rollingUpdate;
      if (!ru) return [field.required(path.child('rollingUpdate'), 'this should be defaulted and never be nil')];
      const p = path.child('rollingUpdate');
      const errs = [...validatePositiveIntOrPercent(ru.maxUnavailable, p.child('maxUnavailable')), ...validatePositiveIntOrPercent(ru.maxSurge, p.child('maxSurge'))];
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(field.invalid(p.child('maxUnavailable'), goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      const pct = percentValue(ru.maxUnavailable);
      if (pct !== undefined && pct > 100) errs.push(field.invalid(p.child('maxUnavailable'), goIntOrString(ru.maxUnavailable), 'must not be greater than 100%'));
      return errs;
    }
    default:
      return [
        field.notSupported(
          path,
          new GoValue(`apps.DeploymentStrategy{Type:${goQuote(s.type ?? '')}, RollingUpdate:(*apps.RollingUpdateDeployment)(${s.rollingUpdate ? '0xc000000000' : 'nil'})}`),
          ['Recreate', 'RollingUpdate'],
        ),
      ];
  }
}

/** `ValidateDeploymentSpec`. */
export function validateDeploymentSpec(s: DeploymentSpec, path: FieldPath, opts: PodValidationOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateNonnegative(s.replicas, path.child('replicas')));
  errs.push(...validateWorkloadSelector(s.selector, path.child('selector')));
  errs.push(...validatePodTemplateSpecForReplicaSet(s.template, { selector: fromLabelSelector(s.selector), path: path.child('template') }, opts));
  errs.push(...validateDeploymentStrategy(s.strategy, path.child('strategy')));
  errs.push(...validateNonnegative(s.minReadySeconds, path.child('minReadySeconds')));
  if (s.revisionHistoryLimit !== undefined && s.revisionHistoryLimit !== null) errs.push(...validateNonnegative(s.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  const pds = s.progressDeadlineSeconds;
  if (pds !== undefined && pds !== null) {
    errs.push(...validateNonnegative(pds, path.child('progressDeadlineSeconds')));
    if (pds <= (s.minReadySeconds ?? 0)) errs.push(field.invalid(path.child('progressDeadlineSeconds'), pds, 'must be greater than minReadySeconds'));
  }
  return errs;
}

export function validateDeployment(d: Deployment, opts: PodValidationOptions = {}): FieldError[] {
  return [...validateObjectMeta(d.metadata, { namespaced: true, nameRule: 'DNS1123Subdomain' }), ...validateDeploymentSpec(d.spec, root('spec'), opts)];
}

/** Update: metadata update rules, the spec, and (apps/v1) an immutable selector. */
export function validateDeploymentUpdate(d: Deployment, old: Deployment, opts: PodValidationOptions = {}): FieldError[] {
  return [
    ...validateObjectMetaUpdate(d.metadata, old.metadata),
    ...validateDeploymentSpec(d.spec, root('spec'), opts),
    ...validateImmutable(d.spec.selector, old.spec.selector, root('spec', 'selector'), (v) => (v ? goLabelSelector(v as LabelSelector) : null)),
  ];
}

/** `ValidateDeploymentStatus`. */
export function validateDeploymentStatus(status: DeploymentStatus | undefined, path: FieldPath = root('status')): FieldError[] {
  const s = status ?? {};
  const errs: FieldError[] = [];
  for (const key of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount'] as const) {
    errs.push(...validateNonnegative(s[key], path.child(key)));
  }
  const replicas = s.replicas ?? 0;
  const msg = 'cannot be greater than status.replicas';
  for (const key of ['updatedReplicas', 'readyReplicas', 'availableReplicas'] as const) {
    const v = s[key] ?? 0;
    if (v > replicas) errs.push(field.invalid(path.child(key), v, msg));
  }
  if ((s.availableReplicas ?? 0) > (s.readyReplicas ?? 0)) {
    errs.push(field.invalid(path.child('availableReplicas'), s.availableReplicas ?? 0, 'cannot be greater than readyReplicas'));
  }
  return errs;
}
