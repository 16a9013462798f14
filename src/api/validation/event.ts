// core/v1 Event validation: upstream applies only the legacy rules to v1 events
// (`legacyValidateEvent`), not ObjectMeta validation.
import type { Event } from '../core.js';
import { field, root, type FieldError } from '../field.js';
import { isDNS1123Subdomain, isQualifiedName } from '../names.js';

const LIMIT = { reportingInstance: 128, action: 128, reason: 128, message: 1024 };

export function validateEvent(ev: Event): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata.namespace ?? '';
  const involvedNs = ev.involvedObject?.namespace ?? '';
  const mismatch = () => field.invalid(root('involvedObject', 'namespace'), involvedNs, 'does not match event.namespace');
  if (!ev.eventTime) {
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(mismatch());
    } else if (ns !== involvedNs) {
      errs.push(mismatch());
    }
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
    const controller = ev.reportingComponent ?? '';
    if (!controller) errs.push(field.required(root('reportingComponent')));
    for (const m of isQualifiedName(controller)) errs.push(field.invalid(root('reportingComponent'), controller, m));
    const checks: [keyof typeof LIMIT, string | undefined, boolean][] = [
      ['reportingInstance', ev.reportingInstance, true],
      ['action', ev.action, true],
      ['reason', ev.reason, true],
      ['message', ev.message, false],
    ];
    for (const [key, value, required] of checks) {
      if (required && !value) errs.push(field.required(root(key)));
      if ((value ?? '').length > LIMIT[key]) errs.push(field.invalid(root(key), '', `can have at most ${LIMIT[key]} characters`));
    }
  }
  for (const m of isDNS1123Subdomain(ns)) errs.push(field.invalid(root('namespace'), ns, m));
  return errs;
}

export function validateEventUpdate(ev: Event, _old: Event): FieldError[] {
  return validateEvent(ev);
}
