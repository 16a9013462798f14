// PodSpec and PodTemplateSpec validation (`ValidatePodSpec`, `ValidatePodTemplateSpec`) in
// upstream's order. Security contexts, affinity and topology spread are not checked in depth.
import type { PodDNSConfig, PodSpec, PodTemplateSpec, Toleration } from '../core.js';
import { field, GoValue, type FieldPath, type FieldError } from '../field.js';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue, validateName } from '../names.js';
import { validateAnnotations, validateLabelName, validateLabels } from './objectmeta.js';
import { dns1123LabelErrors, validateContainers, validateInitContainers, type ContainerValidationOptions } from './container.js';
import { validateVolumes } from './volume.js';
import { inclusiveRangeError, isValidIP } from './_strings.js';

export interface PodValidationOptions extends ContainerValidationOptions {
  /** The object being validated is a Pod (not a PodSpec embedded in a template). */
  resourceIsPod?: boolean;
}

/** Fields of the wire PodSpec that core.ts does not model but validation looks at. */
type PodSpecExtras = {
  imagePullSecrets?: Record<string, unknown>[];
  schedulingGates?: { name: string }[];
  priorityClassName?: string;
  ephemeralContainers?: unknown[];
};

export const extras = (spec: PodSpec) => spec as PodSpec & PodSpecExtras;

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const MAX_INT32 = 2147483647;

/** `ValidateTolerations`. */
export function validateTolerations(tolerations: readonly Toleration[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = path.index(i);
    if (t.key) errs.push(...validateLabelName(t.key, p.child('key')));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(field.invalid(p.child('operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(field.invalid(p.child('effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (t.operator ?? '') {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(t.value ?? '');
        if (msgs.length) errs.push(field.invalid(p.child('operator'), t.value ?? '', msgs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value) errs.push(field.invalid(p.child('operator'), t.value, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(field.notSupported(p.child('operator'), t.operator ?? '', ['Equal', 'Exists']));
    }
    if (t.effect && !TAINT_EFFECTS.includes(t.effect)) errs.push(field.notSupported(p.child('effect'), t.effect, TAINT_EFFECTS));
  });
  return errs;
}

function validateDNSConfig(cfg: PodDNSConfig | undefined, dnsPolicy: string | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (dnsPolicy === 'None') {
    if (!cfg) return [field.required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if ((cfg.nameservers ?? []).length === 0) return [field.required(path.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!cfg) return errs;
  const ns = cfg.nameservers ?? [];
  if (ns.length > 3) errs.push(field.invalid(path.child('nameservers'), GoValue.strings(ns), 'must not have more than 3 nameservers'));
  ns.forEach((ip, i) => {
    for (const m of isValidIP(ip)) errs.push(field.invalid(path.child('nameservers').index(i), ip, m));
  });
  const searches = cfg.searches ?? [];
  if (searches.length > 32) errs.push(field.invalid(path.child('searches'), GoValue.strings(searches), 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) {
    errs.push(field.invalid(path.child('searches'), GoValue.strings(searches), 'must not have more than 2048 characters (including spaces) in the search list'));
  }
  searches.forEach((s, i) => {
    const trimmed = s.endsWith('.') ? s.slice(0, -1) : s;
    for (const m of isDNS1123Subdomain(trimmed)) errs.push(field.invalid(path.child('searches').index(i), trimmed, m));
  });
  (cfg.options ?? []).forEach((o, i) => {
    if (!o.name) errs.push(field.required(path.child('options').index(i), 'must not be empty'));
  });
  return errs;
}

/** `ValidatePodSpec`. Expects a defaulted spec (see defaults/): unset policies are reported as required. */
export function validatePodSpec(spec: PodSpec, path: FieldPath, opts: PodValidationOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  const x = extras(spec);
  const gracePeriod = spec.terminationGracePeriodSeconds ?? undefined;
  if (gracePeriod === undefined) errs.push(field.required(path.child('terminationGracePeriodSeconds')));

  const vols = validateVolumes(spec.volumes, path.child('volumes'));
  errs.push(...vols.errors);
  errs.push(...validateContainers(spec.containers, { volumes: vols.names, gracePeriod, path: path.child('containers') }, opts));
  errs.push(
    ...validateInitContainers(spec.initContainers, { regular: spec.containers ?? [], volumes: vols.names, gracePeriod, path: path.child('initContainers') }, opts),
  );

  if (spec.hostNetwork) {
    (spec.containers ?? []).forEach((c, ci) => {
      (c.ports ?? []).forEach((port, pi) => {
        const hp = port.hostPort ?? 0;
        if ((opts.resourceIsPod || hp !== 0) && hp !== port.containerPort) {
          errs.push(field.invalid(path.child('containers').index(ci).child('ports').index(pi).child('hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }

  if (!spec.restartPolicy) errs.push(field.required(path.child('restartPolicy')));
  else if (!RESTART_POLICIES.includes(spec.restartPolicy)) errs.push(field.notSupported(path.child('restartPolicy'), spec.restartPolicy, RESTART_POLICIES));
  if (!spec.dnsPolicy) errs.push(field.required(path.child('dnsPolicy')));
  else if (!DNS_POLICIES.includes(spec.dnsPolicy)) errs.push(field.notSupported(path.child('dnsPolicy'), spec.dnsPolicy, DNS_POLICIES));
  errs.push(...validateLabels(spec.nodeSelector, path.child('nodeSelector')));

  (x.imagePullSecrets ?? []).forEach((ref, i) => {
    if (Object.keys(ref).some((k) => k !== 'name')) {
      errs.push(field.invalid(path.child('imagePullSecrets').index(i), new GoValue(`core.LocalObjectReference{Name:${JSON.stringify(ref['name'] ?? '')}}`), 'only name may be set'));
    }
  });
  errs.push(...validateDNSConfig(spec.dnsConfig, spec.dnsPolicy, path.child('dnsConfig')));
  (spec.readinessGates ?? []).forEach((g, i) => {
    const p = path.child('readinessGates').index(i).child('conditionType');
    for (const m of isQualifiedName(g.conditionType ?? '')) errs.push(field.invalid(p, g.conditionType ?? '', m));
  });
  const gates = new Set<string>();
  (x.schedulingGates ?? []).forEach((g, i) => {
    const p = path.child('schedulingGates').index(i);
    for (const m of isQualifiedName(g.name ?? '')) errs.push(field.invalid(p, g.name ?? '', m));
    if (gates.has(g.name)) errs.push(field.duplicate(p, g.name));
    gates.add(g.name);
  });

  if (spec.serviceAccountName) {
    for (const m of validateName('DNS1123Subdomain', spec.serviceAccountName)) errs.push(field.invalid(path.child('serviceAccountName'), spec.serviceAccountName, m));
  }
  if (spec.nodeName) {
    for (const m of validateName('DNS1123Subdomain', spec.nodeName)) errs.push(field.invalid(path.child('nodeName'), spec.nodeName, m));
  }
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null && (ads < 1 || ads > MAX_INT32)) {
    errs.push(field.invalid(path.child('activeDeadlineSeconds'), ads, inclusiveRangeError(1, MAX_INT32)));
  }
  if (spec.hostname) errs.push(...dns1123LabelErrors(spec.hostname, path.child('hostname')));
  if (spec.subdomain) errs.push(...dns1123LabelErrors(spec.subdomain, path.child('subdomain')));
  if ((spec.tolerations ?? []).length) errs.push(...validateTolerations(spec.tolerations, path.child('tolerations')));
  (spec.hostAliases ?? []).forEach((ha, i) => {
    const p = path.child('hostAliases').index(i);
    for (const m of isValidIP(ha.ip ?? '')) errs.push(field.invalid(p.child('ip'), ha.ip ?? '', m));
    (ha.hostnames ?? []).forEach((h, j) => {
      for (const m of isDNS1123Subdomain(h)) errs.push(field.invalid(p.child('hostnames').index(j), h, m));
    });
  });
  if (x.priorityClassName) {
    for (const m of validateName('DNS1123Subdomain', x.priorityClassName)) errs.push(field.invalid(path.child('priorityClassName'), x.priorityClassName, m));
  }
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null) {
    const pp = spec.preemptionPolicy;
    if (!pp) errs.push(field.required(path.child('preemptionPolicy')));
    else if (pp !== 'PreemptLowerPriority' && pp !== 'Never') errs.push(field.notSupported(path.child('preemptionPolicy'), pp, ['PreemptLowerPriority', 'Never']));
  }
  return errs;
}

/** `ValidatePodTemplateSpec`: labels, annotations and the spec; no ephemeral containers. */
export function validatePodTemplateSpec(template: PodTemplateSpec, path: FieldPath, opts: PodValidationOptions = {}): FieldError[] {
  const meta = template.metadata ?? {};
  const errs = validateLabels(meta.labels, path.child('labels'));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validatePodSpec(template.spec, path.child('spec'), { ...opts, resourceIsPod: false }));
  if ((extras(template.spec).ephemeralContainers ?? []).length > 0) {
    errs.push(field.forbidden(path.child('spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}
