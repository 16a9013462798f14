// EndpointSlice validation (pkg/apis/discovery/validation). Addresses follow the slice's
// addressType; special IPs are rejected (see EndpointValidationOptions.allowLoopback).
import type { EndpointSlice } from '../discovery.js';
import { field, root, type FieldPath, type FieldError } from '../field.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, validateName } from '../names.js';
import { validateImmutable, validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';
import { dns1123LabelErrors } from './container.js';
import type { EndpointValidationOptions } from './endpoints.js';
import { isValidIPv4, isValidIPv6, nonSpecialIPErrors } from './_strings.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;

/** `IsFullyQualifiedDomainName`. */
function fqdnErrors(value: string, path: FieldPath): FieldError[] {
  if (!value) return [field.required(path)];
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const sub = isDNS1123Subdomain(name);
  if (sub.length) return [field.invalid(path, name, sub.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [field.invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  for (const l of labels) {
    const e = isDNS1123Label(l);
    if (e.length) return [field.invalid(path, l, e.join(','))];
  }
  return [];
}

export function validateEndpointSlice(slice: EndpointSlice, opts: EndpointValidationOptions = {}): FieldError[] {
  const errs = validateObjectMeta(slice.metadata, { namespaced: true, nameRule: 'DNS1123Subdomain' });
  if (!slice.addressType) errs.push(field.required(root('addressType')));
  else if (!ADDRESS_TYPES.includes(slice.addressType)) errs.push(field.notSupported(root('addressType'), slice.addressType, ADDRESS_TYPES));

  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > MAX_ENDPOINTS) errs.push(field.tooMany(root('endpoints'), endpoints.length, MAX_ENDPOINTS));
  else {
    endpoints.forEach((ep, i) => {
      const p = root('endpoints').index(i);
      const ap = p.child('addresses');
      const addrs = ep.addresses ?? [];
      if (addrs.length === 0) errs.push(field.required(ap, 'must contain at least 1 address'));
      else if (addrs.length > MAX_ADDRESSES) errs.push(field.tooMany(ap, addrs.length, MAX_ADDRESSES));
      addrs.forEach((a, j) => {
        const path = ap.index(j);
        if (slice.addressType === 'IPv4' || slice.addressType === 'IPv6') {
          const fam = slice.addressType === 'IPv4' ? isValidIPv4(a) : isValidIPv6(a);
          if (fam.length) errs.push(...fam.map((m) => field.invalid(path, a, m)));
          else errs.push(...nonSpecialIPErrors(a, opts).map((m) => field.invalid(path, a, m)));
        } else if (slice.addressType === 'FQDN') {
          errs.push(...fqdnErrors(a, path));
        }
      });
      if (ep.nodeName !== undefined && ep.nodeName !== null) {
        for (const m of validateName('DNS1123Subdomain', ep.nodeName)) errs.push(field.invalid(p.child('nodeName'), ep.nodeName, m));
      }
      const topology = (ep as { deprecatedTopology?: Record<string, string> }).deprecatedTopology;
      if (topology) errs.push(...validateLabels(topology, p.child('deprecatedTopology')));
      if (ep.hostname !== undefined && ep.hostname !== null) errs.push(...dns1123LabelErrors(ep.hostname, p.child('hostname')));
    });
  }

  const ports = slice.ports ?? [];
  if (ports.length > MAX_PORTS) errs.push(field.tooMany(root('ports'), ports.length, MAX_PORTS));
  else {
    const names = new Set<string>();
    ports.forEach((port, i) => {
      const p = root('ports').index(i);
      const name = port.name ?? '';
      if (name) errs.push(...dns1123LabelErrors(name, p.child('name')));
      if (names.has(name)) errs.push(field.duplicate(p.child('name'), name));
      else names.add(name);
      if (!port.protocol) errs.push(field.required(p.child('protocol')));
      else if (!PROTOCOLS.includes(port.protocol)) errs.push(field.notSupported(p.child('protocol'), port.protocol, PROTOCOLS));
      if (port.appProtocol !== undefined && port.appProtocol !== null) {
        for (const m of isQualifiedName(port.appProtocol)) errs.push(field.invalid(p.child('appProtocol'), port.appProtocol, m));
      }
    });
  }
  return errs;
}

export function validateEndpointSliceUpdate(slice: EndpointSlice, old: EndpointSlice, opts: EndpointValidationOptions = {}): FieldError[] {
  return [
    ...validateObjectMetaUpdate(slice.metadata, old.metadata),
    ...validateEndpointSlice(slice, opts),
    ...validateImmutable(slice.addressType ?? '', old.addressType ?? '', root('addressType')),
  ];
}
