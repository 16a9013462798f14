// Endpoints validation (`ValidateEndpoints`, `validateEndpointSubsets`). Addresses may not be
// special IPs; kubeloop's loopback network mode (pod IPs in 127.0.0.0/8) passes allowLoopback.
import type { EndpointAddress, EndpointPort, Endpoints } from '../core.js';
import { field, root, type FieldPath, type FieldError } from '../field.js';
import { isQualifiedName, validateName } from '../names.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';
import { dns1123LabelErrors } from './container.js';
import { isValidIP, isValidPortNum, nonSpecialIPErrors } from './_strings.js';

export interface EndpointValidationOptions {
  /** Accept 127.0.0.0/8 and ::1 addresses (upstream rejects them). Default false. */
  allowLoopback?: boolean;
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateAddress(a: EndpointAddress, path: FieldPath, opts: EndpointValidationOptions): FieldError[] {
  const ipPath = path.child('ip');
  const errs = isValidIP(a.ip ?? '').map((m) => field.invalid(ipPath, a.ip ?? '', m));
  if (a.hostname) errs.push(...dns1123LabelErrors(a.hostname, path.child('hostname')));
  if (a.nodeName !== undefined && a.nodeName !== null) {
    for (const m of validateName('DNS1123Subdomain', a.nodeName)) errs.push(field.invalid(path.child('nodeName'), a.nodeName, m));
  }
  for (const m of nonSpecialIPErrors(a.ip ?? '', opts)) errs.push(field.invalid(ipPath, a.ip ?? '', m));
  return errs;
}

function validatePort(port: EndpointPort, requireName: boolean, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !port.name) errs.push(field.required(path.child('name')));
  else if (port.name) errs.push(...dns1123LabelErrors(port.name, path.child('name')));
  for (const m of isValidPortNum(port.port)) errs.push(field.invalid(path.child('port'), port.port ?? 0, m));
  if (!port.protocol) errs.push(field.required(path.child('protocol')));
  else if (!PROTOCOLS.includes(port.protocol)) errs.push(field.notSupported(path.child('protocol'), port.protocol, PROTOCOLS));
  if (port.appProtocol !== undefined && port.appProtocol !== null) {
    for (const m of isQualifiedName(port.appProtocol)) errs.push(field.invalid(path.child('appProtocol'), port.appProtocol, m));
  }
  return errs;
}

export function validateEndpoints(ep: Endpoints, opts: EndpointValidationOptions = {}): FieldError[] {
  const errs = validateObjectMeta(ep.metadata, { namespaced: true, nameRule: 'DNS1123Subdomain' });
  (ep.subsets ?? []).forEach((ss, i) => {
    const p = root('subsets').index(i);
    if ((ss.addresses ?? []).length === 0 && (ss.notReadyAddresses ?? []).length === 0) {
      errs.push(field.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    (ss.addresses ?? []).forEach((a, j) => errs.push(...validateAddress(a, p.child('addresses').index(j), opts)));
    (ss.notReadyAddresses ?? []).forEach((a, j) => errs.push(...validateAddress(a, p.child('notReadyAddresses').index(j), opts)));
    const ports = ss.ports ?? [];
    ports.forEach((port, j) => errs.push(...validatePort(port, ports.length > 1, p.child('ports').index(j))));
  });
  return errs;
}

export function validateEndpointsUpdate(ep: Endpoints, old: Endpoints, opts: EndpointValidationOptions = {}): FieldError[] {
  return [...validateObjectMetaUpdate(ep.metadata, old.metadata), ...validateEndpoints(ep, opts)];
}
