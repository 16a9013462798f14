// A container's environment as the kubelet builds it (pkg/kubelet/kubelet_pods.go
// makeEnvironmentVariables, pkg/kubelet/envvars FromServices, third_party/forked/golang/expansion):
// Service link variables, envFrom, env with `$(VAR)` expansion and valueFrom sources, then the
// expansion of command and args. Pure: ConfigMaps, Secrets and Services are handed in.
import type { ConfigMap, Container, Pod, Secret, Service } from '../../api/index.js';

/** Why a container cannot get its environment; the container waits with CreateContainerConfigError. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
  readonly reason = 'CreateContainerConfigError';
}

// ---------------------------------------------------------------- $(VAR) expansion

/**
 * Expands `$(VAR)` references as Kubernetes does: `lookup` gives a variable's value (undefined
 * leaves the reference as written), `$$` is an escaped `$`, and a `$` that starts no reference
 * is kept.
 */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === '$') {
      out += '$';
    } else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close >= 0) {
        const name = rest.slice(1, close);
        out += lookup(name) ?? `$(${name})`;
        advance = close + 1;
      } else {
        out += '$(';
      }
    } else {
      out += `$${rest[0] ?? ''}`;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** A lookup over several maps, first match wins (expansion.MappingFuncFor). */
export function lookupIn(...maps: readonly Readonly<Record<string, string>>[]): (name: string) => string | undefined {
  return (name) => {
    for (const m of maps) if (Object.prototype.hasOwnProperty.call(m, name)) return m[name];
    return undefined;
  };
}

// ---------------------------------------------------------------- Service link variables

const envName = (s: string): string => s.replace(/-/g, '_').toUpperCase();

function hasClusterIP(s: Service): boolean {
  const ip = s.spec.clusterIP ?? '';
  return ip !== '' && ip !== 'None';
}

/**
 * The Services whose variables a pod in `namespace` gets: `kubernetes` from `default` always, the
 * other Services of the namespace when `enableServiceLinks` (default true); never headless or
 * ExternalName ones.
 */
export function servicesForPod(services: readonly Service[], o: { namespace: string; enableServiceLinks: boolean }): Service[] {
  const byName = new Map<string, Service>();
  for (const s of services) {
    if (!hasClusterIP(s)) continue;
    const name = s.metadata.name ?? '';
    if (s.metadata.namespace === 'default' && name === 'kubernetes') {
      if (!byName.has(name)) byName.set(name, s);
    } else if (s.metadata.namespace === o.namespace && o.enableServiceLinks) {
      byName.set(name, s);
    }
  }
  return [...byName.values()];
}

/** The Docker-link style variables of Services (envvars.FromServices), in upstream order. */
export function serviceEnvVars(services: readonly Service[]): [string, string][] {
  const out: [string, string][] = [];
  for (const s of services) {
    const ports = s.spec.ports ?? [];
    const ip = s.spec.clusterIP ?? '';
    const first = ports[0];
    if (!hasClusterIP(s) || first === undefined) continue;
    const prefix = envName(s.metadata.name ?? '');
    out.push([`${prefix}_SERVICE_HOST`, ip]);
    out.push([`${prefix}_SERVICE_PORT`, String(first.port)]);
    for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
    const hostPort = ip.includes(':') ? `[${ip}]` : ip;
    ports.forEach((p, i) => {
      const protocol = p.protocol ?? 'TCP';
      const url = `${protocol.toLowerCase()}://${hostPort}:${p.port}`;
      if (i === 0) out.push([`${prefix}_PORT`, url]);
      const portPrefix = `${prefix}_PORT_${p.port}_${protocol.toUpperCase()}`;
      out.push([portPrefix, url]);
      out.push([`${portPrefix}_PROTO`, protocol.toLowerCase()]);
      out.push([`${portPrefix}_PORT`, String(p.port)]);
      out.push([`${portPrefix}_ADDR`, ip]);
    });
  }
  return out;
}

// ---------------------------------------------------------------- valueFrom.fieldRef

export interface PodAddresses {
  podIP: string;
  podIPs?: readonly string[];
  hostIP: string;
  hostIPs?: readonly string[];
}

const SUBSCRIPT = /^metadata\.(labels|annotations)\['(.*)'\]$/;

/** The value of a downward-API field path for env (podFieldSelectorRuntimeValue). */
export function fieldRefValue(pod: Pick<Pod, 'metadata' | 'spec'>, fieldPath: string, addr: PodAddresses): string {
  const sub = SUBSCRIPT.exec(fieldPath);
  if (sub) {
    const map = sub[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations;
    return map?.[sub[2] ?? ''] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.hostIP':
      return addr.hostIP;
    case 'status.hostIPs':
      return (addr.hostIPs ?? [addr.hostIP]).join(',');
    case 'status.podIP':
      return addr.podIP;
    case 'status.podIPs':
      return (addr.podIPs ?? [addr.podIP]).join(',');
    default:
      throw new EnvError(`unsupported fieldPath: ${fieldPath}`);
  }
}

// ---------------------------------------------------------------- the whole environment

/** ConfigMaps and Secrets of the pod's namespace by name; a missing name means "not found". */
export interface EnvSources {
  configMaps: ReadonlyMap<string, ConfigMap>;
  secrets: ReadonlyMap<string, Secret>;
}

/** The ConfigMap and Secret names a container's env refers to, for the caller to fetch. */
export function referencedSources(container: Container): { configMaps: string[]; secrets: string[] } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  for (const f of container.envFrom ?? []) {
    if (f.configMapRef?.name) configMaps.add(f.configMapRef.name);
    if (f.secretRef?.name) secrets.add(f.secretRef.name);
  }
  for (const e of container.env ?? []) {
    if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
    if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
  }
  return { configMaps: [...configMaps], secrets: [...secrets] };
}

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

function secretData(s: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries(s.stringData ?? {})) out[k] = v;
  return out;
}

export interface ContainerEnvOptions extends PodAddresses {
  /** Every Service the node knows (all namespaces); filtered by servicesForPod. */
  services: readonly Service[];
  sources: EnvSources;
  /** `POD_IP` is set for every container (loopback mode: programs bind it); the pod's env wins. */
  podIPVariable?: boolean;
}

export interface ContainerEnv {
  /** The variables to set, in the order built (kubelet's, without the image's own env). */
  env: Record<string, string>;
  /** Upstream event texts for skipped envFrom keys (InvalidEnvironmentVariableNames). */
  warnings: string[];
}

/**
 * The container's environment (makeEnvironmentVariables): envFrom, then env (values expanded
 * against what is defined so far and the Service variables, valueFrom resolved), then the
 * Service variables the container did not define. Throws EnvError for a missing ConfigMap,
 * Secret or key that is not optional.
 */
export function containerEnvironment(pod: Pick<Pod, 'metadata' | 'spec'>, container: Container, o: ContainerEnvOptions): ContainerEnv {
  const namespace = pod.metadata.namespace ?? 'default';
  const serviceEnv: Record<string, string> = {};
  const services = servicesForPod(o.services, { namespace, enableServiceLinks: pod.spec.enableServiceLinks !== false });
  for (const [k, v] of serviceEnvVars(services)) serviceEnv[k] = v;
  const warnings: string[] = [];
  const tmp: Record<string, string> = {};

  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    let data: Record<string, string> | undefined;
    let what: string;
    let name: string;
    if (from.configMapRef) {
      name = from.configMapRef.name ?? '';
      what = 'configMap';
      const cm = o.sources.configMaps.get(name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new EnvError(`configmap "${name}" not found`);
      }
      data = cm.data ?? {};
    } else if (from.secretRef) {
      name = from.secretRef.name ?? '';
      what = 'secret';
      const s = o.sources.secrets.get(name);
      if (!s) {
        if (from.secretRef.optional) continue;
        throw new EnvError(`secret "${name}" not found`);
      }
      data = secretData(s);
    } else {
      continue;
    }
    const invalid: string[] = [];
    for (const [key, value] of Object.entries(data)) {
      const k = prefix + key;
      if (!ENV_VAR_NAME.test(k)) {
        invalid.push(k);
        continue;
      }
      tmp[k] = value;
    }
    if (invalid.length > 0) {
      invalid.sort();
      warnings.push(
        `Keys [${invalid.join(', ')}] from the EnvFrom ${what} ${namespace}/${name} were skipped since they are considered invalid environment variable names.`,
      );
    }
  }

  const lookup = lookupIn(tmp, serviceEnv);
  for (const e of container.env ?? []) {
    let value = e.value ?? '';
    if (value !== '') {
      value = expand(value, lookup);
    } else if (e.valueFrom) {
      const vf = e.valueFrom;
      if (vf.fieldRef) {
        value = fieldRefValue(pod, vf.fieldRef.fieldPath, o);
      } else if (vf.resourceFieldRef) {
        // No resource limits are enforced; report the node's view: nothing set means "0".
        value = '0';
      } else if (vf.configMapKeyRef) {
        const ref = vf.configMapKeyRef;
        const cm = o.sources.configMaps.get(ref.name ?? '');
        if (!cm) {
          if (ref.optional) continue;
          throw new EnvError(`configmap "${ref.name ?? ''}" not found`);
        }
        const v = cm.data?.[ref.key];
        if (v === undefined) {
          if (ref.optional) continue;
          throw new EnvError(`couldn't find key ${ref.key} in ConfigMap ${namespace}/${ref.name ?? ''}`);
        }
        value = v;
      } else if (vf.secretKeyRef) {
        const ref = vf.secretKeyRef;
        const s = o.sources.secrets.get(ref.name ?? '');
        if (!s) {
          if (ref.optional) continue;
          throw new EnvError(`secret "${ref.name ?? ''}" not found`);
        }
        const v = secretData(s)[ref.key];
        if (v === undefined) {
          if (ref.optional) continue;
          throw new EnvError(`couldn't find key ${ref.key} in Secret ${namespace}/${ref.name ?? ''}`);
        }
        value = v;
      }
    }
    tmp[e.name] = value;
  }

  const env: Record<string, string> = {};
  if (o.podIPVariable !== false && o.podIP !== '') env['POD_IP'] = o.podIP;
  for (const [k, v] of Object.entries(serviceEnv)) if (!(k in tmp)) env[k] = v;
  Object.assign(env, tmp);
  return { env, warnings };
}

/** A container's command and args with `$(VAR)` expanded against its environment. */
export function expandCommand(container: Pick<Container, 'command' | 'args'>, env: Readonly<Record<string, string>>): { command?: string[]; args?: string[] } {
  const lookup = lookupIn(env);
  const out: { command?: string[]; args?: string[] } = {};
  if (container.command) out.command = container.command.map((s) => expand(s, lookup));
  if (container.args) out.args = container.args.map((s) => expand(s, lookup));
  return out;
}
