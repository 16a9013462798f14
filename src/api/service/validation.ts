// Service validation, rule for rule and message for message as pkg/apis/core/validation
// (ValidateService, validateServicePort, ValidateServiceClusterIPsRelatedFields,
// ValidateServiceUpdate and its validateUpgradeDowngrade* helpers). Errors come back in upstream
// order, because the 422 message joins them in that order. Input is expected to be defaulted
// (defaultService) and, on create, to have passed the allocator, which normalizes clusterIPs.
import type { Service, ServicePort } from '../core.js';
import { field, FieldPath, root, type BadValue, type FieldError } from '../field.js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, validateName } from '../names.js';
import { GO_NIL, goIPFamilies, goServicePortKey, goStrings } from './_gofmt.js';
import { isLinkLocalMulticast, isLinkLocalUnicast, isLoopback, isUnspecified, parseCIDR, parseIP } from './ip.js';
import { externallyAccessible, isHeadlessService, needsHealthCheck } from './predicates.js';

/** `ports.KubeletPort`: a LoadBalancer may not expose it. */
export const KUBELET_PORT = 10250;
/** `core.MaxClientIPServiceAffinitySeconds`: one day. */
export const MAX_CLIENT_IP_TIMEOUT_SECONDS = 86400;

const SUPPORTED_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const SUPPORTED_AFFINITY = ['ClientIP', 'None'];
const SUPPORTED_TRAFFIC_POLICIES = ['Cluster', 'Local'];
const SUPPORTED_IP_FAMILIES = ['IPv4', 'IPv6'];
const SUPPORTED_IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const ANNOTATION_TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode';
const ANNOTATION_TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints';
const ANNOTATION_LB_SOURCE_RANGES = 'service.beta.kubernetes.io/load-balancer-source-ranges';

const INVALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const INVALID_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
const PORT_RANGE = 'must be between 1 and 65535, inclusive';

const has = (v: unknown) => v !== undefined && v !== null;
/** Values arrive from JSON and may be of any type; validation compares them as strings. */
const text = (v: unknown): string => (typeof v === 'string' ? v : has(v) ? String(v) : '');

function invalidEach(path: FieldPath, value: BadValue, msgs: readonly string[]): FieldError[] {
  return msgs.map((m) => field.invalid(path, value, m));
}

function isValidPortNum(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** `IsValidPortName` (an IANA_SVC_NAME). */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

function validateNonSpecialIP(ip: string, path: FieldPath): FieldError[] {
  const parsed = parseIP(ip);
  if (!parsed) return [field.invalid(path, ip, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  if (isUnspecified(parsed)) errs.push(field.invalid(path, ip, `may not be unspecified (${ip})`));
  if (isLoopback(parsed)) errs.push(field.invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (isLinkLocalUnicast(parsed)) errs.push(field.invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (isLinkLocalMulticast(parsed)) {
    errs.push(field.invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
  return errs;
}

/**
 * The metadata checks ValidateObjectMeta makes with ValidateServiceName.
 * Stands in for validateObjectMeta (src/api/validation, being written in parallel): when that
 * lands, call it here with the DNS1035Label name rule instead, so namespace, labels, annotations
 * and ownerReferences are checked too.
 */
export function validateServiceMeta(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const meta = svc.metadata ?? {};
  const path = root('metadata');
  if (meta.generateName) {
    errs.push(...invalidEach(path.child('generateName'), meta.generateName, validateName('DNS1035Label', meta.generateName, { prefix: true })));
  }
  if (!meta.name) errs.push(field.required(path.child('name'), 'name or generateName is required'));
  else errs.push(...invalidEach(path.child('name'), meta.name, isDNS1035Label(meta.name)));
  return errs;
}

function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const name = text(sp.name);
  if (requireName && name.length === 0) {
    errs.push(field.required(path.child('name')));
  } else if (name.length !== 0) {
    errs.push(...invalidEach(path.child('name'), name, isDNS1123Label(name)));
    if (names.has(name)) errs.push(field.duplicate(path.child('name'), name));
    else names.add(name);
  }

  const port = typeof sp.port === 'number' ? sp.port : 0;
  if (!isValidPortNum(port)) errs.push(field.invalid(path.child('port'), port, PORT_RANGE));

  const protocol = text(sp.protocol);
  if (protocol.length === 0) errs.push(field.required(path.child('protocol')));
  else if (!SUPPORTED_PROTOCOLS.includes(protocol)) errs.push(field.notSupported(path.child('protocol'), protocol, SUPPORTED_PROTOCOLS));

  // An absent targetPort is the IntOrString zero value: int 0.
  const tp = sp.targetPort ?? 0;
  if (typeof tp === 'number') {
    if (!isValidPortNum(tp)) errs.push(field.invalid(path.child('targetPort'), tp, PORT_RANGE));
  } else {
    errs.push(...invalidEach(path.child('targetPort'), tp, isValidPortName(tp)));
  }

  if (has(sp.appProtocol)) {
    const ap = text(sp.appProtocol);
    errs.push(...invalidEach(path.child('appProtocol'), ap, isQualifiedName(ap)));
  }
  return errs;
}

function validateClientIPAffinityConfig(svc: Service, path: FieldPath): FieldError[] {
  const why = 'when session affinity type is ClientIP';
  const config = svc.spec.sessionAffinityConfig;
  if (!has(config)) return [field.required(path, why)];
  const clientIP = config?.clientIP;
  if (!has(clientIP)) return [field.required(path.child('clientIP'), why)];
  const timeout = clientIP?.timeoutSeconds;
  const tPath = path.child('clientIP', 'timeoutSeconds');
  if (timeout === undefined || timeout === null) return [field.required(tPath, why)];
  if (timeout <= 0 || timeout > MAX_CLIENT_IP_TIMEOUT_SECONDS) {
    return [field.invalid(tPath, timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_TIMEOUT_SECONDS}`)];
  }
  return [];
}

/**
 * Checks clusterIP/clusterIPs/ipFamilies/ipFamilyPolicy on their own and against each other
 * (not against cluster configuration). The allocator runs it before allocating, too.
 */
export function validateServiceClusterIPsRelatedFields(svc: Service): FieldError[] {
  // ExternalName: these fields were already required to be unset.
  if (svc.spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const spec = svc.spec;
  const clusterIPsPath = root('spec', 'clusterIPs');
  const familiesPath = root('spec', 'ipFamilies');
  const clusterIP = text(spec.clusterIP);
  const clusterIPs = spec.clusterIPs ?? [];
  let hasInvalidIPs = false;

  if (clusterIP.length !== 0) {
    if (clusterIPs.length === 0) errs.push(field.required(clusterIPsPath));
    else if (clusterIPs[0] !== clusterIP) errs.push(field.invalid(clusterIPsPath, goStrings(spec.clusterIPs), 'first value must match `clusterIP`'));
  } else if (clusterIPs.length !== 0) {
    errs.push(field.invalid(clusterIPsPath, goStrings(spec.clusterIPs), 'must be empty when `clusterIP` is not specified'));
  }

  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((fam, i) => {
    const f = text(fam);
    if (!SUPPORTED_IP_FAMILIES.includes(f)) errs.push(field.notSupported(familiesPath.index(i), f, SUPPORTED_IP_FAMILIES));
    if (seen.has(f)) errs.push(field.duplicate(familiesPath.index(i), f));
    seen.add(f);
  });

  if (has(spec.ipFamilyPolicy)) {
    const p = text(spec.ipFamilyPolicy);
    if (!SUPPORTED_IP_FAMILY_POLICIES.includes(p)) errs.push(field.notSupported(root('spec', 'ipFamilyPolicy'), p, SUPPORTED_IP_FAMILY_POLICIES));
  }

  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        hasInvalidIPs = true;
        errs.push(field.invalid(clusterIPsPath, goStrings(spec.clusterIPs), "'None' must be the first and only value"));
      }
      return;
    }
    if (!parseIP(text(ip))) {
      hasInvalidIPs = true;
      errs.push(field.invalid(clusterIPsPath.index(i), text(ip), INVALID_IP));
    }
  });

  if (clusterIPs.length > 2) errs.push(field.invalid(clusterIPsPath, goStrings(spec.clusterIPs), 'may only hold up to 2 values'));

  // Further checks would only restate the bad IPs.
  if (hasInvalidIPs) return errs;

  if (clusterIPs.length > 1) {
    const families = clusterIPs.map((ip) => parseIP(ip)?.family);
    const dualStack = families.includes('IPv4') && families.includes('IPv6');
    if (!dualStack) errs.push(field.invalid(clusterIPsPath, goStrings(spec.clusterIPs), 'may specify no more than one IP for each IP family'));
  }

  const families = spec.ipFamilies ?? [];
  if (!isHeadlessService(svc) && clusterIPs.length > 0 && families.length > 0) {
    for (let i = 0; i < clusterIPs.length && i < families.length; i++) {
      const ipFamily = parseIP(clusterIPs[i]!)?.family;
      if (families[i] === 'IPv4' && ipFamily === 'IPv6') {
        errs.push(field.invalid(clusterIPsPath.index(i), clusterIPs[i], `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      }
      if (families[i] === 'IPv6' && ipFamily !== 'IPv6') {
        errs.push(field.invalid(clusterIPsPath.index(i), clusterIPs[i], `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
      }
    }
  }
  return errs;
}

function validateLoadBalancerClass(prev: Service | undefined, svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const path = root('spec', 'loadBalancerClass');
  const cls = svc.spec.loadBalancerClass;
  if (prev && prev.spec.type === 'LoadBalancer' && svc.spec.type === 'LoadBalancer') {
    const before = prev.spec.loadBalancerClass;
    if ((before ?? null) !== (cls ?? null)) errs.push(field.invalid(path, has(cls) ? text(cls) : GO_NIL, 'may not change once set'));
  }
  if (svc.spec.type === 'LoadBalancer') {
    if (has(cls)) errs.push(...invalidEach(path, text(cls), isQualifiedName(text(cls))));
  } else if (has(cls)) {
    errs.push(field.forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
  }
  return errs;
}

function validateExternalTrafficPolicy(svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec = root('spec');
  const etp = text(svc.spec.externalTrafficPolicy);
  if (!externallyAccessible(svc)) {
    if (etp !== '') errs.push(field.invalid(spec.child('externalTrafficPolicy'), etp, 'may only be set for externally-accessible services'));
  } else if (etp === '') {
    errs.push(field.required(spec.child('externalTrafficPolicy')));
  } else if (!SUPPORTED_TRAFFIC_POLICIES.includes(etp)) {
    errs.push(field.notSupported(spec.child('externalTrafficPolicy'), etp, SUPPORTED_TRAFFIC_POLICIES));
  }

  const hc = svc.spec.healthCheckNodePort ?? 0;
  const hcPath = spec.child('healthCheckNodePort');
  if (!needsHealthCheck(svc)) {
    if (hc !== 0) errs.push(field.invalid(hcPath, hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (hc === 0) {
    errs.push(field.required(hcPath));
  } else if (!isValidPortNum(hc)) {
    errs.push(field.invalid(hcPath, hc, PORT_RANGE));
  }
  return errs;
}

/** Validates a Service for create (ValidateService); returns every problem found. */
export function validateService(svc: Service): FieldError[] {
  // Metadata (name rule DNS-1035, namespace, labels...) is validated once, generically, by the
  // registry before this runs; see validateServiceMeta for the name rule on its own.
  const errs: FieldError[] = [];
  const spec = svc.spec;
  const specPath = root('spec');
  const portsPath = specPath.child('ports');
  const ports = spec.ports ?? [];
  const type = text(spec.type);
  const headless = isHeadlessService(svc);
  const annotations = svc.metadata?.annotations ?? {};

  const hints = annotations[ANNOTATION_TOPOLOGY_HINTS];
  const mode = annotations[ANNOTATION_TOPOLOGY_MODE];
  if (hints !== undefined && mode !== undefined && hints !== mode) {
    errs.push(
      field.invalid(root('metadata', 'annotations').key(ANNOTATION_TOPOLOGY_MODE), mode, `must match annotations[${ANNOTATION_TOPOLOGY_HINTS}] when both are specified`),
    );
  }

  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(field.required(portsPath));

  switch (type) {
    case 'LoadBalancer':
      ports.forEach((p, i) => {
        if (p.port === KUBELET_PORT) {
          errs.push(field.invalid(portsPath.index(i), p.port, `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`));
        }
      });
      if (headless) errs.push(field.invalid(specPath.child('clusterIPs').index(0), 'None', "may not be set to 'None' for LoadBalancer services"));
      break;
    case 'NodePort':
      if (headless) errs.push(field.invalid(specPath.child('clusterIPs').index(0), 'None', "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      if ((spec.clusterIPs?.length ?? 0) > 0) errs.push(field.forbidden(specPath.child('clusterIPs'), 'may not be set for ExternalName services'));
      if ((spec.ipFamilies?.length ?? 0) > 0) errs.push(field.forbidden(specPath.child('ipFamilies'), 'may not be set for ExternalName services'));
      if (has(spec.ipFamilyPolicy)) errs.push(field.forbidden(specPath.child('ipFamilyPolicy'), 'may not be set for ExternalName services'));
      // A CNAME may end in one dot to mark it fully qualified.
      const raw = text(spec.externalName);
      const cname = raw.endsWith('.') ? raw.slice(0, -1) : raw;
      if (cname.length > 0) errs.push(...invalidEach(specPath.child('externalName'), cname, isDNS1123Subdomain(cname)));
      else errs.push(field.required(specPath.child('externalName')));
      break;
    }
    default:
      break;
  }

  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, portsPath.index(i))));

  if (has(spec.selector)) {
    const selPath = specPath.child('selector');
    for (const [k, v] of Object.entries(spec.selector ?? {})) {
      errs.push(...invalidEach(selPath, k, isQualifiedName(k)));
      errs.push(...invalidEach(selPath, text(v), isValidLabelValue(text(v))));
    }
  }

  const affinity = text(spec.sessionAffinity);
  if (affinity.length === 0) errs.push(field.required(specPath.child('sessionAffinity')));
  else if (!SUPPORTED_AFFINITY.includes(affinity)) errs.push(field.notSupported(specPath.child('sessionAffinity'), affinity, SUPPORTED_AFFINITY));
  if (affinity === 'ClientIP') {
    errs.push(...validateClientIPAffinityConfig(svc, specPath.child('sessionAffinityConfig')));
  } else if (affinity === 'None' && has(spec.sessionAffinityConfig)) {
    errs.push(field.forbidden(specPath.child('sessionAffinityConfig'), 'must not be set when session affinity is None'));
  }

  errs.push(...validateServiceClusterIPsRelatedFields(svc));

  (spec.externalIPs ?? []).forEach((ip, i) => {
    const p = specPath.child('externalIPs').index(i);
    if (!parseIP(text(ip))) errs.push(field.invalid(p, text(ip), INVALID_IP));
    else errs.push(...validateNonSpecialIP(ip, p));
  });

  if (type.length === 0) errs.push(field.required(specPath.child('type')));
  else if (!SUPPORTED_TYPES.includes(type)) errs.push(field.notSupported(specPath.child('type'), type, SUPPORTED_TYPES));

  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if ((p.nodePort ?? 0) !== 0) errs.push(field.forbidden(portsPath.index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  }

  // Same nodePort twice is fine across protocols, not within one.
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const np = p.nodePort ?? 0;
    if (np === 0) return;
    const key = `${text(p.protocol)}/${np}`;
    if (nodePorts.has(key)) errs.push(field.duplicate(portsPath.index(i).child('nodePort'), np));
    nodePorts.add(key);
  });

  // Same port number twice is fine across protocols (TCP 53 + UDP 53), not within one.
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const port = typeof p.port === 'number' ? p.port : 0;
    const key = `${text(p.protocol)}/${port}`;
    if (portKeys.has(key)) errs.push(field.duplicate(portsPath.index(i), goServicePortKey(text(p.protocol), port)));
    portKeys.add(key);
  });

  const sourceRanges = spec.loadBalancerSourceRanges ?? [];
  if (sourceRanges.length > 0) {
    // Upstream spells this path with a capital L.
    const path = specPath.child('LoadBalancerSourceRanges');
    if (type !== 'LoadBalancer') errs.push(field.forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    sourceRanges.forEach((raw, i) => {
      // Historically space-padded values are tolerated.
      const value = text(raw).trim();
      if (!parseCIDR(value)) errs.push(field.invalid(path.index(i), value, INVALID_CIDR));
    });
  } else if (annotations[ANNOTATION_LB_SOURCE_RANGES] !== undefined) {
    const path = root('metadata', 'annotations').key(ANNOTATION_LB_SOURCE_RANGES);
    if (type !== 'LoadBalancer') errs.push(field.forbidden(path, "may only be used when `type` is 'LoadBalancer'"));
    const val = (annotations[ANNOTATION_LB_SOURCE_RANGES] ?? '').trim();
    if (val !== '') {
      for (const part of val.split(',')) {
        const value = part.trim();
        if (!parseCIDR(value)) errs.push(field.invalid(path, value, INVALID_CIDR));
      }
    }
  }

  if (has(spec.allocateLoadBalancerNodePorts) && type !== 'LoadBalancer') {
    errs.push(field.forbidden(specPath.child('allocateLoadBalancerNodePorts'), "may only be used when `type` is 'LoadBalancer'"));
  }
  if (type === 'LoadBalancer' && !has(spec.allocateLoadBalancerNodePorts)) {
    // Upstream reports this one without the `spec.` prefix.
    errs.push(field.required(root('allocateLoadBalancerNodePorts')));
  }

  errs.push(...validateLoadBalancerClass(undefined, svc));
  errs.push(...validateExternalTrafficPolicy(svc));

  const itp = spec.internalTrafficPolicy;
  if (!has(itp)) {
    // Not forbidden for ExternalName: objects stored before this check existed carry it.
    if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') errs.push(field.required(specPath.child('internalTrafficPolicy')));
  } else if (!SUPPORTED_TRAFFIC_POLICIES.includes(text(itp))) {
    errs.push(field.notSupported(specPath.child('internalTrafficPolicy'), text(itp), SUPPORTED_TRAFFIC_POLICIES));
  }

  if (has(spec.trafficDistribution) && spec.trafficDistribution !== 'PreferClose') {
    errs.push(field.notSupported(specPath.child('trafficDistribution'), text(spec.trafficDistribution), ['PreferClose']));
  }
  return errs;
}

/** validateUpgradeDowngradeClusterIPs: clusterIPs are immutable except when ExternalName is involved. */
function validateClusterIPsUpdate(prev: Service, svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  if (svc.spec.type === 'ExternalName' || prev.spec.type === 'ExternalName') return errs;
  if (isHeadlessService(prev) && isHeadlessService(svc)) return errs;
  const oldIPs = prev.spec.clusterIPs ?? [];
  const newIPs = svc.spec.clusterIPs ?? [];
  const path = root('spec', 'clusterIPs');
  const value = goStrings(svc.spec.clusterIPs);
  if (oldIPs.length === newIPs.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== newIPs[i]) errs.push(field.invalid(path.index(i), value, 'may not change once set'));
    });
  } else if (oldIPs.length > newIPs.length) {
    if (newIPs.length === 0) errs.push(field.invalid(path.index(0), value, 'primary clusterIP can not be unset'));
    if (oldIPs.length > 0 && newIPs.length > 0 && newIPs[0] !== oldIPs[0]) errs.push(field.invalid(path.index(0), value, 'may not change once set'));
    if (newIPs.length === 1 && svc.spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(
        field.invalid(root('spec', 'ipFamilyPolicy'), text(svc.spec.ipFamilyPolicy) || GO_NIL, "must be set to 'SingleStack' when releasing the secondary clusterIP"),
      );
    }
  } else if (oldIPs.length > 0 && newIPs[0] !== oldIPs[0]) {
    errs.push(field.invalid(path.index(0), value, 'may not change once set'));
  }
  return errs;
}

/** validateUpgradeDowngradeIPFamilies: the primary family is immutable. */
function validateIPFamiliesUpdate(prev: Service, svc: Service): FieldError[] {
  const errs: FieldError[] = [];
  if (svc.spec.type === 'ExternalName' || prev.spec.type === 'ExternalName') return errs;
  const oldHeadless = isHeadlessService(prev);
  const newHeadless = isHeadlessService(svc);
  if (oldHeadless !== newHeadless || newHeadless) return errs;
  const oldFams = prev.spec.ipFamilies ?? [];
  const newFams = svc.spec.ipFamilies ?? [];
  const path = root('spec', 'ipFamilies').index(0);
  if (oldFams.length === newFams.length) {
    oldFams.forEach((f, i) => {
      // Upstream reports every mismatch at index 0.
      if (f !== newFams[i]) errs.push(field.invalid(path, goIPFamilies(svc.spec.ipFamilies), 'may not change once set'));
    });
  } else if (oldFams.length > newFams.length) {
    // Upstream tests clusterIPs here and prints clusterIPs for a changed family; kept as is.
    if ((svc.spec.clusterIPs?.length ?? 0) === 0) errs.push(field.invalid(path, goIPFamilies(svc.spec.ipFamilies), 'primary ipFamily can not be unset'));
    if (newFams.length > 0 && newFams[0] !== oldFams[0]) errs.push(field.invalid(path, goStrings(svc.spec.clusterIPs), 'may not change once set'));
    if (newFams.length === 1 && svc.spec.ipFamilyPolicy !== 'SingleStack') {
      errs.push(
        field.invalid(root('spec', 'ipFamilyPolicy'), text(svc.spec.ipFamilyPolicy) || GO_NIL, "must be set to 'SingleStack' when releasing the secondary ipFamily"),
      );
    }
  } else if (oldFams.length > 0 && newFams.length > 0 && newFams[0] !== oldFams[0]) {
    errs.push(field.invalid(path, goStrings(svc.spec.clusterIPs), 'may not change once set'));
  }
  return errs;
}

/**
 * Validates an update (ValidateServiceUpdate): the transition rules, then every create rule on
 * `next`. `next` is expected to have been through allocateUpdate, which patches omitted
 * allocated values back from `prev`.
 * ValidateObjectMetaUpdate (uid, name, namespace, creationTimestamp immutability) belongs to
 * src/api/validation's validateObjectMetaUpdate and should run before this.
 */
export function validateServiceUpdate(next: Service, prev: Service): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateClusterIPsUpdate(prev, next));
  errs.push(...validateIPFamiliesUpdate(prev, next));
  errs.push(...validateLoadBalancerClass(prev, next));
  if (needsHealthCheck(prev) && needsHealthCheck(next) && (next.spec.healthCheckNodePort ?? 0) !== (prev.spec.healthCheckNodePort ?? 0)) {
    errs.push(field.forbidden(root('spec', 'healthCheckNodePort'), 'field is immutable'));
  }
  errs.push(...validateService(next));
  return errs;
}
