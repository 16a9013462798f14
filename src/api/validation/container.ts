// Container validation from pkg/apis/core/validation: validateContainers, validateInitContainers,
// validateContainerCommon and the helpers they call (ports, env, envFrom, probes, lifecycle,
// resources, volume mounts, host port conflicts). Error order follows upstream.
import type { Container, ContainerPort, EnvFromSource, EnvVar, IntOrString, LifecycleHandler, Probe, ResourceRequirements, VolumeMount } from '../core.js';
import { field, type FieldPath, type FieldError } from '../field.js';
import { isDNS1123Label, isQualifiedName, validateName } from '../names.js';
import { validateNonnegative } from './objectmeta.js';
import { compareQuantity, formatQuantity, parseQuantity } from './_quantity.js';
import {
  inclusiveRangeError,
  isConfigMapKey,
  isEnvVarName,
  isHTTPHeaderName,
  isRelaxedEnvVarName,
  isValidPortName,
  isValidPortNum,
} from './_strings.js';

export interface ContainerValidationOptions {
  /**
   * RelaxedEnvironmentVariableValidation (beta and on by default in 1.32): env names may be any
   * printable ASCII except '='. Default true.
   */
  relaxedEnvVarNames?: boolean;
}

const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function dns1123LabelErrors(value: string, path: FieldPath): FieldError[] {
  return isDNS1123Label(value).map((m) => field.invalid(path, value, m));
}

/** `validateContainerPorts`. */
export function validateContainerPorts(ports: readonly ContainerPort[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const p = path.index(i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) for (const m of msgs) errs.push(field.invalid(p.child('name'), port.name, m));
      else if (names.has(port.name)) errs.push(field.duplicate(p.child('name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(field.required(p.child('containerPort')));
    else for (const m of isValidPortNum(port.containerPort)) errs.push(field.invalid(p.child('containerPort'), port.containerPort, m));
    if (port.hostPort) for (const m of isValidPortNum(port.hostPort)) errs.push(field.invalid(p.child('hostPort'), port.hostPort, m));
    if (!port.protocol) errs.push(field.required(p.child('protocol')));
    else if (!SUPPORTED_PROTOCOLS.includes(port.protocol)) errs.push(field.notSupported(p.child('protocol'), port.protocol, SUPPORTED_PROTOCOLS));
  });
  return errs;
}

const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
/** Labels `podshelper.ConvertDownwardAPIFieldLabel` accepts for v1. */
const CONVERTIBLE_FIELD_PATHS = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);
const RESOURCE_FIELD_PATHS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

function secretNameErrors(name: string, path: FieldPath, prefix = false): FieldError[] {
  return validateName('DNS1123Subdomain', name, { prefix }).map((m) => field.invalid(path, name, m));
}

function validateKeySelector(s: { name?: string; key: string }, path: FieldPath): FieldError[] {
  const errs = secretNameErrors(s.name ?? '', path.child('name'));
  if (!s.key) errs.push(field.required(path.child('key')));
  else for (const m of isConfigMapKey(s.key)) errs.push(field.invalid(path.child('key'), s.key, m));
  return errs;
}

/** `validateObjectFieldSelector` for env vars. */
function validateFieldRef(fs: { apiVersion?: string; fieldPath: string }, path: FieldPath): FieldError[] {
  if (!fs.apiVersion) return [field.required(path.child('apiVersion'))];
  if (!fs.fieldPath) return [field.required(path.child('fieldPath'))];
  const m = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fs.fieldPath);
  const base = m ? m[1]! : fs.fieldPath;
  if (fs.apiVersion !== 'v1') {
    return [field.invalid(path.child('fieldPath'), fs.fieldPath, `error converting fieldPath: unsupported pod version: ${fs.apiVersion}`)];
  }
  if (!CONVERTIBLE_FIELD_PATHS.has(base)) {
    return [field.invalid(path.child('fieldPath'), fs.fieldPath, `error converting fieldPath: field label not supported: ${fs.fieldPath}`)];
  }
  if (m) {
    const key = base === 'metadata.annotations' ? m[2]!.toLowerCase() : m[2]!;
    return isQualifiedName(key).map((msg) => field.invalid(path, key, msg));
  }
  if (!ENV_FIELD_PATHS.includes(fs.fieldPath)) return [field.notSupported(path.child('fieldPath'), fs.fieldPath, ENV_FIELD_PATHS.slice().sort())];
  return [];
}

/** `ValidateEnv` and `validateEnvVarValueFrom`. */
export function validateEnv(vars: readonly EnvVar[] | undefined, path: FieldPath, opts: ContainerValidationOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  const relaxed = opts.relaxedEnvVarNames ?? true;
  (vars ?? []).forEach((ev, i) => {
    const p = path.index(i);
    if (!ev.name) errs.push(field.required(p.child('name')));
    else for (const m of relaxed ? isRelaxedEnvVarName(ev.name) : isEnvVarName(ev.name)) errs.push(field.invalid(p.child('name'), ev.name, m));
    const vf = ev.valueFrom;
    if (!vf) return;
    const vp = p.child('valueFrom');
    let sources = 0;
    if (vf.fieldRef) {
      sources++;
      errs.push(...validateFieldRef(vf.fieldRef, vp.child('fieldRef')));
    }
    if (vf.resourceFieldRef) {
      sources++;
      const rp = vp.child('resourceFieldRef');
      const res = vf.resourceFieldRef.resource;
      if (!res) errs.push(field.required(rp.child('resource')));
      else if (!RESOURCE_FIELD_PATHS.includes(res) && !/^(requests|limits)\.hugepages-/.test(res)) {
        errs.push(field.notSupported(rp.child('resource'), res, RESOURCE_FIELD_PATHS));
      }
    }
    if (vf.configMapKeyRef) {
      sources++;
      errs.push(...validateKeySelector(vf.configMapKeyRef, vp.child('configMapKeyRef')));
    }
    if (vf.secretKeyRef) {
      sources++;
      errs.push(...validateKeySelector(vf.secretKeyRef, vp.child('secretKeyRef')));
    }
    if (sources === 0) errs.push(field.invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (ev.value) errs.push(field.invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (sources > 1) errs.push(field.invalid(vp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

/** `ValidateEnvFrom`. */
export function validateEnvFrom(sources: readonly EnvFromSource[] | undefined, path: FieldPath, opts: ContainerValidationOptions = {}): FieldError[] {
  const errs: FieldError[] = [];
  const relaxed = opts.relaxedEnvVarNames ?? true;
  (sources ?? []).forEach((ev, i) => {
    const p = path.index(i);
    if (ev.prefix) for (const m of relaxed ? isRelaxedEnvVarName(ev.prefix) : isEnvVarName(ev.prefix)) errs.push(field.invalid(p.child('prefix'), ev.prefix, m));
    let n = 0;
    for (const [key, ref] of [
      ['configMapRef', ev.configMapRef],
      ['secretRef', ev.secretRef],
    ] as const) {
      if (!ref) continue;
      n++;
      if (!ref.name) errs.push(field.required(p.child(key, 'name')));
      else errs.push(...secretNameErrors(ref.name, p.child(key, 'name'), true));
    }
    if (n === 0) errs.push(field.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(field.invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

/** `ValidatePortNumOrName`. */
export function validatePortNumOrName(port: IntOrString | undefined, path: FieldPath): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((m) => field.invalid(path, port, m));
  const n = port ?? 0;
  return isValidPortNum(n).map((m) => field.invalid(path, n, m));
}

type Handler = {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port: IntOrString; scheme?: string; httpHeaders?: { name: string }[] };
  tcpSocket?: { port: IntOrString };
  grpc?: { port: number };
  sleep?: { seconds: number };
};

/** `validateHandler`: exactly one action. */
function validateHandler(h: Handler, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  const one = (key: string, check: () => FieldError[]) => {
    if (n > 0) errs.push(field.forbidden(path.child(key), 'may not specify more than 1 handler type'));
    else {
      n++;
      errs.push(...check());
    }
  };
  if (h.exec) one('exec', () => ((h.exec!.command ?? []).length === 0 ? [field.required(path.child('exec', 'command'))] : []));
  if (h.httpGet) {
    one('httpGet', () => {
      const g = h.httpGet!;
      const p = path.child('httpGet');
      const out: FieldError[] = [];
      if (!g.path) out.push(field.required(p.child('path')));
      out.push(...validatePortNumOrName(g.port, p.child('port')));
      if (g.scheme !== 'HTTP' && g.scheme !== 'HTTPS') out.push(field.notSupported(p.child('scheme'), g.scheme ?? '', ['HTTP', 'HTTPS']));
      for (const hdr of g.httpHeaders ?? []) for (const m of isHTTPHeaderName(hdr.name)) out.push(field.invalid(p.child('httpHeaders'), hdr.name, m));
      return out;
    });
  }
  if (h.tcpSocket) one('tcpSocket', () => validatePortNumOrName(h.tcpSocket!.port, path.child('tcpSocket', 'port')));
  if (h.grpc) one('grpc', () => validatePortNumOrName(h.grpc!.port, path.child('grpc', 'port')));
  if (h.sleep) {
    one('sleep', () => {
      const s = h.sleep!.seconds;
      if (gracePeriod !== undefined && (s <= 0 || s > gracePeriod)) {
        return [
          field.invalid(
            path.child('sleep'),
            s,
            `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
          ),
        ];
      }
      return [];
    });
  }
  if (n === 0) errs.push(field.required(path, 'must specify a handler type'));
  return errs;
}

function validateLifecycle(lc: { postStart?: LifecycleHandler; preStop?: LifecycleHandler }, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (lc.postStart) errs.push(...validateHandler(lc.postStart, gracePeriod, path.child('postStart')));
  if (lc.preStop) errs.push(...validateHandler(lc.preStop, gracePeriod, path.child('preStop')));
  return errs;
}

function validateProbe(probe: Probe, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  const errs = validateHandler({ exec: probe.exec, httpGet: probe.httpGet, tcpSocket: probe.tcpSocket, grpc: probe.grpc }, gracePeriod, path);
  errs.push(...validateNonnegative(probe.initialDelaySeconds, path.child('initialDelaySeconds')));
  errs.push(...validateNonnegative(probe.timeoutSeconds, path.child('timeoutSeconds')));
  errs.push(...validateNonnegative(probe.periodSeconds, path.child('periodSeconds')));
  errs.push(...validateNonnegative(probe.successThreshold, path.child('successThreshold')));
  errs.push(...validateNonnegative(probe.failureThreshold, path.child('failureThreshold')));
  const tg = probe.terminationGracePeriodSeconds;
  if (tg !== undefined && tg !== null && tg <= 0) errs.push(field.invalid(path.child('terminationGracePeriodSeconds'), tg, 'must be greater than 0'));
  return errs;
}

function validateLivenessOrStartupProbe(probe: Probe | undefined, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  if (!probe) return [];
  const errs = validateProbe(probe, gracePeriod, path);
  if ((probe.successThreshold ?? 0) !== 1) errs.push(field.invalid(path.child('successThreshold'), probe.successThreshold ?? 0, 'must be 1'));
  return errs;
}

function validateReadinessProbe(probe: Probe | undefined, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  if (!probe) return [];
  const errs = validateProbe(probe, gracePeriod, path);
  const tg = probe.terminationGracePeriodSeconds;
  if (tg !== undefined && tg !== null) errs.push(field.invalid(path.child('terminationGracePeriodSeconds'), tg, 'must not be set for readinessProbes'));
  return errs;
}

const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const isHugePages = (name: string) => name.startsWith('hugepages-');
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
const overcommitAllowed = (name: string) => isNative(name) && !isHugePages(name);

/** `validateContainerResourceName` (which starts with `validateResourceName`). */
function validateContainerResourceName(name: string, path: FieldPath): FieldError[] {
  const errs = isQualifiedName(name).map((m) => field.invalid(path, name, m));
  const bare = !name.includes('/');
  if (errs.length === 0 && bare && !STANDARD_RESOURCES.has(name) && !isHugePages(name) && !/^(requests|limits)\.hugepages-/.test(name)) {
    errs.push(field.invalid(path, name, 'must be a standard resource type or fully qualified'));
  }
  if (bare) {
    if (!['cpu', 'memory', 'ephemeral-storage'].includes(name) && !isHugePages(name)) errs.push(field.invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNative(name) && name.startsWith('requests.')) {
    errs.push(field.invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** `ValidateContainerResourceRequirements` (quantity syntax errors are a decode error upstream, so unparsable values are skipped). */
export function validateResources(req: ResourceRequirements | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  const checkValue = (name: string, raw: string, p: FieldPath) => {
    errs.push(...validateContainerResourceName(name, p));
    const q = parseQuantity(raw);
    if (!q) return undefined;
    if (q.nano < 0n) errs.push(field.invalid(p, formatQuantity(q), 'must be greater than or equal to 0'));
    if (!isNative(name) && q.nano % 1_000_000_000n !== 0n) errs.push(field.invalid(p, formatQuantity(q), 'must be an integer'));
    return q;
  };
  const limits = req?.limits ?? {};
  for (const name of Object.keys(limits).sort()) checkValue(name, limits[name]!, limPath.key(name));
  const requests = req?.requests ?? {};
  for (const name of Object.keys(requests).sort()) {
    const q = checkValue(name, requests[name]!, reqPath.key(name));
    const limRaw = limits[name];
    if (limRaw !== undefined) {
      const lim = parseQuantity(limRaw);
      if (q && lim) {
        const cmp = compareQuantity(q, lim);
        if (cmp !== 0 && !overcommitAllowed(name)) {
          errs.push(field.invalid(reqPath, formatQuantity(q), `must be equal to ${name} limit of ${formatQuantity(lim)}`));
        } else if (cmp > 0) {
          errs.push(field.invalid(reqPath, formatQuantity(q), `must be less than or equal to ${name} limit of ${formatQuantity(lim)}`));
        }
      }
    } else if (!overcommitAllowed(name)) {
      errs.push(field.required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  const names = [...Object.keys(limits), ...Object.keys(requests)];
  if (names.some(isHugePages) && !names.some((n) => n === 'cpu' || n === 'memory')) errs.push(field.forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}

/** `ValidateVolumeMounts` (volume names must exist in the pod). */
function validateVolumeMounts(mounts: readonly VolumeMount[] | undefined, volumes: ReadonlySet<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const p = path.index(i);
    if (!m.name) errs.push(field.required(p.child('name')));
    if (!volumes.has(m.name)) errs.push(field.notFound(p.child('name'), m.name ?? ''));
    if (!m.mountPath) errs.push(field.required(p.child('mountPath')));
    if (seen.has(m.mountPath)) errs.push(field.invalid(p.child('mountPath'), m.mountPath, 'must be unique'));
    seen.add(m.mountPath);
    if (m.subPath) errs.push(...localDescendingPathErrors(m.subPath, path.child('subPath')));
  });
  return errs;
}

/** `validateLocalDescendingPath`. */
export function localDescendingPathErrors(p: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(field.invalid(path, p, 'must be a relative path'));
  if (p.split(/[\\/]/).includes('..')) errs.push(field.invalid(path, p, "must not contain '..'"));
  return errs;
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

/** `validateContainerCommon`: what every container kind shares. */
function validateContainerCommon(c: Container, volumes: ReadonlySet<string>, path: FieldPath, opts: ContainerValidationOptions): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(field.required(path.child('name')));
  else errs.push(...dns1123LabelErrors(c.name, path.child('name')));
  if (!c.image) errs.push(field.required(path.child('image')));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(field.required(path.child('terminationMessagePolicy')));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errs.push(field.notSupported(path.child('terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validateContainerPorts(c.ports, path.child('ports')));
  errs.push(...validateEnv(c.env, path.child('env'), opts));
  errs.push(...validateEnvFrom(c.envFrom, path.child('envFrom'), opts));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, path.child('volumeMounts')));
  if (!c.imagePullPolicy) errs.push(field.required(path.child('imagePullPolicy')));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(field.notSupported(path.child('imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  errs.push(...validateResources(c.resources, path.child('resources')));
  errs.push(...validateSecurityContext(c.securityContext, path.child('securityContext')));
  return errs;
}

function validateSecurityContext(sc: Record<string, unknown> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!sc) return errs;
  for (const key of ['runAsUser', 'runAsGroup'] as const) {
    const v = sc[key];
    if (typeof v === 'number' && (v < 0 || v > 2147483647)) errs.push(field.invalid(path.child(key), v, inclusiveRangeError(0, 2147483647)));
  }
  return errs;
}

/** `AccumulateUniqueHostPorts`. */
function hostPortConflicts(containers: readonly Container[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    (c.ports ?? []).forEach((port, pi) => {
      if (!port.hostPort) return;
      const key = `${port.protocol ?? ''}/${port.hostIP ?? ''}/${port.hostPort}`;
      if (seen.has(key)) errs.push(field.duplicate(path.index(ci).child('ports').index(pi).child('hostPort'), key));
      else seen.add(key);
    });
  });
  return errs;
}

/** `validateContainers`: at least one; unique names; probes and lifecycle. */
export function validateContainers(
  containers: readonly Container[] | undefined,
  ctx: { volumes: ReadonlySet<string>; gracePeriod: number | undefined; path: FieldPath },
  opts: ContainerValidationOptions = {},
): FieldError[] {
  const list = containers ?? [];
  if (list.length === 0) return [field.required(ctx.path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const p = ctx.path.index(i);
    errs.push(...validateContainerCommon(c, ctx.volumes, p, opts));
    if (names.has(c.name)) errs.push(field.duplicate(p.child('name'), c.name));
    else names.add(c.name);
    if (c.lifecycle) errs.push(...validateLifecycle(c.lifecycle, ctx.gracePeriod, p.child('lifecycle')));
    errs.push(...validateLivenessOrStartupProbe(c.livenessProbe, ctx.gracePeriod, p.child('livenessProbe')));
    errs.push(...validateReadinessProbe(c.readinessProbe, ctx.gracePeriod, p.child('readinessProbe')));
    errs.push(...validateLivenessOrStartupProbe(c.startupProbe, ctx.gracePeriod, p.child('startupProbe')));
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) errs.push(field.forbidden(p.child('restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...hostPortConflicts(list, ctx.path));
  return errs;
}

/** `validateInitContainers`: names unique across init and regular containers; sidecars (restartPolicy Always) may have probes. */
export function validateInitContainers(
  containers: readonly Container[] | undefined,
  ctx: { regular: readonly Container[]; volumes: ReadonlySet<string>; gracePeriod: number | undefined; path: FieldPath },
  opts: ContainerValidationOptions = {},
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(ctx.regular.map((c) => c.name));
  (containers ?? []).forEach((c, i) => {
    const p = ctx.path.index(i);
    errs.push(...validateContainerCommon(c, ctx.volumes, p, opts));
    let restartAlways = false;
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
      if (c.restartPolicy !== 'Always') errs.push(field.notSupported(p.child('restartPolicy'), c.restartPolicy, ['Always']));
      restartAlways = c.restartPolicy === 'Always';
    }
    if (names.has(c.name)) errs.push(field.duplicate(p.child('name'), c.name));
    else if (c.name) names.add(c.name);
    errs.push(...hostPortConflicts([c], ctx.path));
    if (restartAlways) {
      if (c.lifecycle) errs.push(...validateLifecycle(c.lifecycle, ctx.gracePeriod, p.child('lifecycle')));
      errs.push(...validateLivenessOrStartupProbe(c.livenessProbe, ctx.gracePeriod, p.child('livenessProbe')));
      errs.push(...validateReadinessProbe(c.readinessProbe, ctx.gracePeriod, p.child('readinessProbe')));
      errs.push(...validateLivenessOrStartupProbe(c.startupProbe, ctx.gracePeriod, p.child('startupProbe')));
    } else {
      const msg = 'may not be set for init containers without restartPolicy=Always';
      if (c.lifecycle) errs.push(field.forbidden(p.child('lifecycle'), msg));
      if (c.livenessProbe) errs.push(field.forbidden(p.child('livenessProbe'), msg));
      if (c.readinessProbe) errs.push(field.forbidden(p.child('readinessProbe'), msg));
      if (c.startupProbe) errs.push(field.forbidden(p.child('startupProbe'), msg));
    }
  });
  return errs;
}
