// Node validation (`ValidateNode`, `ValidateNodeUpdate`): name, taints, podCIDRs and the fields
// that may only be set once. Node names are DNS-1123 subdomains.
import type { Node, Taint } from '../core.js';
import { field, GoValue, goQuote, root, type FieldPath, type FieldError } from '../field.js';
import { isValidLabelValue } from '../names.js';
import { validateLabelName, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';
import { goStruct } from './_gofmt.js';
import { parseIP } from './_strings.js';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const INVALID_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

function goTaint(t: Taint): GoValue {
  return goStruct('core.Taint', [
    ['Key', goQuote(t.key ?? '')],
    ['Value', goQuote(t.value ?? '')],
    ['Effect', goQuote(t.effect ?? '')],
    ['TimeAdded', t.timeAdded ? `time.Date(${t.timeAdded})` : '(*v1.Time)(nil)'],
  ]);
}

/** `validateNodeTaints`: keys, values, effects, and no two taints with the same key and effect. */
export function validateNodeTaints(taints: readonly Taint[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (taints ?? []).forEach((t, i) => {
    const p = path.index(i);
    errs.push(...validateLabelName(t.key ?? '', p.child('key')));
    const msgs = isValidLabelValue(t.value ?? '');
    if (msgs.length) errs.push(field.invalid(p.child('value'), t.value ?? '', msgs.join(';')));
    if (!t.effect) errs.push(field.required(p.child('effect')));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(field.notSupported(p.child('effect'), t.effect, TAINT_EFFECTS));
    const key = `${t.effect}\u0000${t.key}`;
    if (seen.has(key)) {
      const dup = field.duplicate(p, goTaint(t));
      dup.detail = 'taints must be unique by key and effect pair';
      errs.push(dup);
      return;
    }
    seen.add(key);
  });
  return errs;
}

function isValidCIDR(value: string): boolean {
  const [ip, bits, ...rest] = value.split('/');
  if (rest.length || bits === undefined || !/^[0-9]{1,3}$/.test(bits)) return false;
  const parsed = parseIP(ip ?? '');
  if (!parsed) return false;
  return Number(bits) <= (parsed.family === 4 ? 32 : 128);
}

export function validateNode(node: Node): FieldError[] {
  const meta = root('metadata');
  const errs = validateObjectMeta(node.metadata, { namespaced: false, nameRule: 'DNS1123Subdomain' });
  // Upstream reports taint errors under metadata.taints; kept for identical messages.
  if ((node.spec?.taints ?? []).length) errs.push(...validateNodeTaints(node.spec?.taints, meta.child('taints')));
  const cidrs = node.spec?.podCIDRs ?? [];
  cidrs.forEach((c, i) => {
    if (!isValidCIDR(c)) errs.push(field.invalid(root('spec', 'podCIDRs').index(i), c, INVALID_CIDR));
  });
  if (cidrs.length > 1) {
    const families = cidrs.map((c) => parseIP(c.split('/')[0] ?? '')?.family);
    if (cidrs.length > 2 || families[0] === families[1]) {
      errs.push(field.invalid(root('spec', 'podCIDRs'), GoValue.strings(cidrs), 'may specify no more than one CIDR for each IP family'));
    }
  }
  return errs;
}

export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs = validateObjectMetaUpdate(node.metadata, old.metadata);
  const seen = new Set<string>();
  (node.status?.addresses ?? []).forEach((a, i) => {
    const key = `${a.type}\u0000${a.address}`;
    if (seen.has(key)) {
      errs.push(field.duplicate(root('status', 'addresses').index(i), goStruct('core.NodeAddress', [['Type', goQuote(a.type)], ['Address', goQuote(a.address)]])));
    }
    seen.add(key);
  });
  const oldCidrs = old.spec?.podCIDRs ?? [];
  const newCidrs = node.spec?.podCIDRs ?? [];
  if (oldCidrs.length > 0) {
    const msg = 'node updates may not change podCIDR except from "" to valid';
    if (oldCidrs.length !== newCidrs.length) errs.push(field.forbidden(root('spec', 'podCIDRs'), msg));
    else oldCidrs.forEach((c, i) => c !== newCidrs[i] && errs.push(field.forbidden(root('spec', 'podCIDRs'), msg)));
  }
  const oldProvider = (old.spec as { providerID?: string } | undefined)?.providerID ?? '';
  const newProvider = (node.spec as { providerID?: string } | undefined)?.providerID ?? '';
  if (oldProvider && oldProvider !== newProvider) {
    errs.push(field.forbidden(root('spec', 'providerID'), 'node updates may not change providerID except from "" to valid'));
  }
  if ((node.spec?.taints ?? []).length) errs.push(...validateNodeTaints(node.spec?.taints, root('metadata', 'taints')));
  return errs;
}
