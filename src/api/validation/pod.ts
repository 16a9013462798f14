// Pod validation: `ValidatePodCreate`, `ValidatePodUpdate` (spec immutability) and a subset of
// `ValidatePodStatusUpdate`. Input must be defaulted (defaults/defaultPod) as upstream's is.
import type { Container, Pod, PodSpec } from '../core.js';
import { field, root, type FieldPath, type FieldError } from '../field.js';
import { isQualifiedName, validateName } from '../names.js';
import { semanticEqual, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';
import { extras, validatePodSpec, validateTolerations, type PodValidationOptions } from './podspec.js';
import { inclusiveRangeError, isValidIP } from './_strings.js';

const MAX_INT32 = 2147483647;

export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function imageWhitespace(containers: readonly Container[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (containers ?? []).forEach((c, i) => {
    const image = c.image ?? '';
    if (image.length !== image.trim().length) errs.push(field.invalid(path.index(i).child('image'), image, 'must not have leading or trailing whitespace'));
  });
  return errs;
}

/** `validatePodMetadataAndSpec`. */
function validatePodMetadataAndSpec(pod: Pod, opts: PodValidationOptions): FieldError[] {
  const spec = root('spec');
  const errs = validateObjectMeta(pod.metadata, { namespaced: true, nameRule: 'DNS1123Subdomain' });
  errs.push(...validatePodSpec(pod.spec, spec, { ...opts, resourceIsPod: true }));
  errs.push(...imageWhitespace(pod.spec.containers, spec.child('containers')));
  errs.push(...imageWhitespace(pod.spec.initContainers, spec.child('initContainers')));
  return errs;
}

function validatePodIPs(pod: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const path = root('status', 'podIPs');
  (pod.status?.podIPs ?? []).forEach((p, i) => {
    for (const m of isValidIP(p.ip)) errs.push(field.invalid(path.index(i), p.ip, m));
  });
  return errs;
}

/** `ValidatePodCreate`. */
export function validatePod(pod: Pod, opts: PodValidationOptions = {}): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod, opts);
  const x = extras(pod.spec);
  if ((x.ephemeralContainers ?? []).length > 0) errs.push(field.forbidden(root('spec', 'ephemeralContainers'), 'cannot be set on create'));
  if (pod.spec.nodeName && (x.schedulingGates ?? []).length > 0) {
    errs.push(field.forbidden(root('spec', 'nodeName'), 'cannot be set until all schedulingGates have been cleared'));
  }
  errs.push(...validatePodIPs(pod));
  return errs;
}

/** `ValidateContainerUpdates`: `stop` means the rest of the update checks are skipped. */
function validateContainerUpdates(next: readonly Container[] | undefined, prev: readonly Container[] | undefined, path: FieldPath): { errs: FieldError[]; stop: boolean } {
  const n = next ?? [];
  if (n.length !== (prev ?? []).length) return { errs: [field.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  n.forEach((c, i) => {
    if (!c.image) errs.push(field.required(path.index(i).child('image')));
    const image = c.image ?? '';
    if (image.trim().length !== image.length) errs.push(field.invalid(path.index(i).child('image'), image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

/**
 * `ValidatePodUpdate`: only images, activeDeadlineSeconds, added tolerations, removed scheduling
 * gates and a negative grace period set to 1 may change. The trailing diff of the Forbidden
 * message is kubeloop's own rendering (upstream prints a Go cmp.Diff of core.PodSpec).
 */
export function validatePodUpdate(newPod: Pod, oldPod: Pod, opts: PodValidationOptions = {}): FieldError[] {
  const errs = validateObjectMetaUpdate(newPod.metadata, oldPod.metadata);
  errs.push(...validatePodMetadataAndSpec(newPod, opts));
  const spec = root('spec');
  for (const key of ['containers', 'initContainers'] as const) {
    const r = validateContainerUpdates(newPod.spec[key], oldPod.spec[key], spec.child(key));
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const nads = newPod.spec.activeDeadlineSeconds;
  const oads = oldPod.spec.activeDeadlineSeconds;
  if (nads !== undefined && nads !== null) {
    if (nads < 0 || nads > MAX_INT32) {
      errs.push(field.invalid(spec.child('activeDeadlineSeconds'), nads, inclusiveRangeError(0, MAX_INT32)));
      return errs;
    }
    if (oads !== undefined && oads !== null && oads < nads) {
      errs.push(field.invalid(spec.child('activeDeadlineSeconds'), nads, 'must be less than or equal to previous value'));
      return errs;
    }
  } else if (oads !== undefined && oads !== null) {
    errs.push(field.invalid(spec.child('activeDeadlineSeconds'), null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...validateOnlyAddedTolerations(newPod.spec, oldPod.spec, spec.child('tolerations')));
  errs.push(...validateOnlyDeletedSchedulingGates(newPod.spec, oldPod.spec, spec.child('schedulingGates')));

  if (semanticEqual(newPod.spec, oldPod.spec)) return errs;
  const munged = mungePodSpec(newPod.spec, oldPod.spec);
  if (!semanticEqual(munged, oldPod.spec)) {
    errs.push(field.forbidden(spec, `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${specDiff(oldPod.spec, munged)}`));
  }
  return errs;
}

/** The new spec with every field that may change reset to its old value. */
function mungePodSpec(next: PodSpec, prev: PodSpec): PodSpec {
  const m = structuredClone(next) as PodSpec & Record<string, unknown>;
  m.containers = (m.containers ?? []).map((c, i) => ({ ...c, image: prev.containers?.[i]?.image }) as Container);
  if (m.initContainers) m.initContainers = m.initContainers.map((c, i) => ({ ...c, image: prev.initContainers?.[i]?.image }) as Container);
  setOrDelete(m, 'activeDeadlineSeconds', prev.activeDeadlineSeconds);
  setOrDelete(m, 'schedulingGates', extras(prev).schedulingGates);
  setOrDelete(m, 'tolerations', prev.tolerations);
  const oldGrace = prev.terminationGracePeriodSeconds;
  if (oldGrace !== undefined && oldGrace < 0 && m.terminationGracePeriodSeconds === 1) m.terminationGracePeriodSeconds = oldGrace;
  return m;
}

function setOrDelete(o: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) delete o[key];
  else o[key] = structuredClone(value);
}

/** A compact cmp-style diff of the top-level PodSpec fields that differ. */
function specDiff(prev: PodSpec, next: PodSpec): string {
  const a = prev as unknown as Record<string, unknown>;
  const b = next as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const lines = ['  core.PodSpec{'];
  for (const k of keys) {
    if (semanticEqual(a[k], b[k])) continue;
    if (a[k] !== undefined) lines.push(`- \t${k}: ${JSON.stringify(a[k])},`);
    if (b[k] !== undefined) lines.push(`+ \t${k}: ${JSON.stringify(b[k])},`);
  }
  lines.push('  }');
  return lines.join('\n') + '\n';
}

/** `validateOnlyAddedTolerations`: existing tolerations may only change their tolerationSeconds. */
function validateOnlyAddedTolerations(next: PodSpec, prev: PodSpec, path: FieldPath): FieldError[] {
  for (const old of prev.tolerations ?? []) {
    const found = (next.tolerations ?? []).some((t) => semanticEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t));
    if (!found) return [field.forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next.tolerations, path);
}

/** `validateOnlyDeletedSchedulingGates`. */
function validateOnlyDeletedSchedulingGates(next: PodSpec, prev: PodSpec, path: FieldPath): FieldError[] {
  const oldNames = new Set((extras(prev).schedulingGates ?? []).map((g) => g.name));
  const errs: FieldError[] = [];
  (extras(next).schedulingGates ?? []).forEach((g, i) => {
    if (!oldNames.has(g.name)) errs.push(field.forbidden(path.index(i).child('name'), `only deletion is allowed, but found new scheduling gate '${g.name}'`));
  });
  return errs;
}

/** The parts of `ValidatePodStatusUpdate` kubeloop's node agent can trip over. */
export function validatePodStatusUpdate(newPod: Pod, oldPod: Pod): FieldError[] {
  const errs = validateObjectMetaUpdate(newPod.metadata, oldPod.metadata);
  const status = root('status');
  (newPod.status?.conditions ?? []).forEach((c, i) => {
    if (['PodScheduled', 'Ready', 'Initialized'].includes(c.type)) return;
    for (const m of isQualifiedName(c.type)) errs.push(field.invalid(status.child('conditions').index(i).child('Type'), c.type, m));
  });
  if ((newPod.spec.nodeName ?? '') !== (oldPod.spec.nodeName ?? '')) errs.push(field.forbidden(status.child('nodeName'), 'may not be changed directly'));
  const nn = newPod.status?.nominatedNodeName ?? '';
  if (nn && nn !== (oldPod.status?.nominatedNodeName ?? '')) {
    for (const m of validateName('DNS1123Subdomain', nn)) errs.push(field.invalid(status.child('nominatedNodeName'), nn, m));
  }
  const oldQos = oldPod.status?.qosClass ?? '';
  const newQos = newPod.status?.qosClass ?? '';
  if (oldQos !== newQos) errs.push(field.invalid(status.child('qosClass'), newQos, 'field is immutable'));
  errs.push(...validatePodIPs(newPod));
  return errs;
}
