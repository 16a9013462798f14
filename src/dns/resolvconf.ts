// A pod's /etc/resolv.conf and /etc/hosts, computed as the kubelet does (pkg/kubelet/network/dns/
// dns.go GetPodDNS; pkg/kubelet/kubelet_pods.go managedHostsFileContent and
// GeneratePodHostNameAndDomain), written the way containerd writes the sandbox resolv.conf
// (search, nameserver lines, options). Pure functions: the node agent reads the host files and
// writes the results.
import { isDNS1123Label, type Pod } from '../api/index.js';

/** Kubernetes validation limits (ExpandedDNSConfig, GA since 1.28). */
export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
/** glibc aborts on a search domain longer than this (DNS1123SubdomainMaxLength). */
const MAX_SEARCH_DOMAIN_LENGTH = 253;

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  /** "ndots:5", "edns0", ... in file order. */
  options: string[];
}

/**
 * Reads resolv.conf text like the kubelet's parseResolvConf: nameserver lines accumulate; the
 * last search line wins (trailing dots dropped); the last options line wins.
 */
export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const fields = trimmed.split(/\s+/).filter((f) => f.length > 0);
    const [kind, ...rest] = fields;
    if (kind === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (kind === 'search') out.searches = rest.map((s) => (s.endsWith('.') && s !== '.' ? s.slice(0, -1) : s));
    else if (kind === 'options') out.options = rest;
  }
  return out;
}

/** The file text, in containerd's layout: search, then one nameserver line each, then options. */
export function formatResolvConf(c: ResolvConf): string {
  let s = '';
  if (c.searches.length) s += `search ${c.searches.join(' ')}\n`;
  for (const ns of c.nameservers) s += `nameserver ${ns}\n`;
  if (c.options.length) s += `options ${c.options.join(' ')}\n`;
  return s;
}

export interface PodResolvConfOptions {
  /** e.g. "cluster.local"; "" means no cluster search domains (as a kubelet without --cluster-domain). */
  clusterDomain: string;
  /** The cluster DNS server(s) (the kube-dns ClusterIP); empty means the kubelet has none configured. */
  nameserver: string | readonly string[];
  /**
   * The host's resolv.conf text (the kubelet's --resolv-conf). undefined means "none configured",
   * for which the kubelet points Default-policy pods at 127.0.0.1 with search ".".
   */
  hostResolvConf: string | undefined;
}

export interface PodDnsConfig extends ResolvConf {
  /** Why something was dropped, worded as the kubelet's DNSConfigForming / MissingClusterDNS events. */
  warnings: string[];
}

type PodDnsSource = Pick<Pod, 'spec'> & { metadata: { name?: string; namespace?: string } };

function unique(xs: readonly string[]): string[] {
  return [...new Set(xs)];
}

/** Options merge: later values replace earlier ones of the same name, keeping first-seen order. */
function mergeOptions(existing: readonly string[], extra: readonly { name: string; value?: string }[]): string[] {
  const m = new Map<string, string>();
  for (const op of existing) {
    const i = op.indexOf(':');
    if (i >= 0) m.set(op.slice(0, i), op.slice(i + 1));
    else m.set(op, '');
  }
  for (const op of extra) m.set(op.name, op.value ?? '');
  return [...m].map(([k, v]) => (v ? `${k}:${v}` : k));
}

function fitSearches(searches: string[], warnings: string[]): string[] {
  let out = searches;
  let exceeded = false;
  if (out.length > MAX_DNS_SEARCH_PATHS) {
    out = out.slice(0, MAX_DNS_SEARCH_PATHS);
    exceeded = true;
  }
  const kept = out.filter((s) => s.length <= MAX_SEARCH_DOMAIN_LENGTH);
  if (kept.length !== out.length) exceeded = true;
  out = kept;
  const lineLength = out.join(' ').length;
  if (lineLength > MAX_DNS_SEARCH_LIST_CHARS) {
    let cut = 0;
    let cutLength = 0;
    for (let i = out.length - 1; i >= 0; i--) {
      cutLength += out[i]!.length + 1;
      cut++;
      if (lineLength - cutLength <= MAX_DNS_SEARCH_LIST_CHARS) break;
    }
    out = out.slice(0, out.length - cut);
    exceeded = true;
  }
  if (exceeded) warnings.push(`Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${out.join(' ')}`);
  return out;
}

/** The pod's DNS settings by policy: ClusterFirst, ClusterFirstWithHostNet, Default, None, plus dnsConfig. */
export function podDnsConfig(pod: PodDnsSource, o: PodResolvConfOptions): PodDnsConfig {
  const warnings: string[] = [];
  const host = o.hostResolvConf === undefined ? undefined : parseResolvConf(o.hostResolvConf);
  let cfg: ResolvConf = { nameservers: [...(host?.nameservers ?? [])], searches: [...(host?.searches ?? [])], options: [...(host?.options ?? [])] };
  const clusterDns = (typeof o.nameserver === 'string' ? [o.nameserver] : [...o.nameserver]).filter((s) => s.length > 0);

  // An unset policy is what the API server defaults: ClusterFirst. ClusterFirst on the host
  // network falls back to Default; ClusterFirstWithHostNet does not.
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  let kind: 'cluster' | 'host' | 'none';
  switch (policy) {
    case 'None':
      kind = 'none';
      break;
    case 'ClusterFirstWithHostNet':
      kind = 'cluster';
      break;
    case 'ClusterFirst':
      kind = pod.spec.hostNetwork ? 'host' : 'cluster';
      break;
    case 'Default':
      kind = 'host';
      break;
    default: {
      const never: never = policy;
      kind = 'cluster';
      warnings.push(`invalid DNSPolicy=${String(never)}`);
    }
  }

  if (kind === 'none') cfg = { nameservers: [], searches: [], options: [] };
  if (kind === 'cluster' && clusterDns.length === 0) {
    warnings.push(`kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`);
    kind = 'host';
  }
  if (kind === 'cluster') {
    const ns = pod.metadata.namespace ?? 'default';
    const clusterSearch = o.clusterDomain ? [`${ns}.svc.${o.clusterDomain}`, `svc.${o.clusterDomain}`, o.clusterDomain] : [];
    cfg = { nameservers: clusterDns, searches: unique([...clusterSearch, ...cfg.searches]), options: ['ndots:5'] };
  }
  if (kind === 'host' && o.hostResolvConf === undefined) {
    cfg.nameservers = ['127.0.0.1'];
    cfg.searches = ['.'];
  }

  const extra = pod.spec.dnsConfig;
  if (extra) {
    cfg = {
      nameservers: unique([...cfg.nameservers, ...(extra.nameservers ?? [])]),
      searches: unique([...cfg.searches, ...(extra.searches ?? [])]),
      options: mergeOptions(cfg.options, extra.options ?? []),
    };
  }

  if (cfg.nameservers.length > MAX_DNS_NAMESERVERS) {
    cfg.nameservers = cfg.nameservers.slice(0, MAX_DNS_NAMESERVERS);
    warnings.push(`Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${cfg.nameservers.join(' ')}`);
  }
  cfg.searches = fitSearches(cfg.searches, warnings);
  return { ...cfg, warnings };
}

/** The text of the pod's /etc/resolv.conf. */
export function podResolvConf(pod: PodDnsSource, o: PodResolvConfOptions): string {
  return formatResolvConf(podDnsConfig(pod, o));
}

export interface PodHostsFileOptions {
  /** The pod's primary IP. */
  podIP: string;
  /** All pod IPs (dual-stack); defaults to [podIP]. */
  podIPs?: readonly string[];
  clusterDomain?: string;
  /** The node's /etc/hosts text; required for hostNetwork pods, which get a copy of it. */
  nodeHostsFile?: string;
}

const MANAGED_HOSTS_HEADER = '# Kubernetes-managed hosts file.\n';
const MANAGED_HOSTS_HEADER_HOST_NETWORK = '# Kubernetes-managed hosts file (host network).\n';

/**
 * The pod's hostname and domain as the kubelet derives them: spec.hostname or the pod name
 * (cut to 63 characters, trailing "-" and "." trimmed); the domain is
 * `<subdomain>.<namespace>.svc.<clusterDomain>` when spec.subdomain is set, else "".
 */
export function podHostnameAndDomain(pod: Pick<Pod, 'spec'> & { metadata: { name?: string; namespace?: string } }, clusterDomain = 'cluster.local'): { hostname: string; domain: string } {
  const podName = pod.metadata.name ?? '';
  let hostname = podName;
  if (pod.spec.hostname) {
    const errs = isDNS1123Label(pod.spec.hostname);
    if (errs.length) throw new Error(`pod Hostname "${pod.spec.hostname}" is not a valid DNS label: ${errs.join(';')}`);
    hostname = pod.spec.hostname;
  }
  if (hostname.length > 63) {
    hostname = hostname.slice(0, 63).replace(/[-.]+$/, '');
    if (!hostname) throw new Error(`hostname for pod "${podName}" was invalid: "${pod.spec.hostname ?? podName}"`);
  }
  let domain = '';
  if (pod.spec.subdomain) {
    const errs = isDNS1123Label(pod.spec.subdomain);
    if (errs.length) throw new Error(`pod Subdomain "${pod.spec.subdomain}" is not a valid DNS label: ${errs.join(';')}`);
    domain = `${pod.spec.subdomain}.${pod.metadata.namespace ?? 'default'}.svc.${clusterDomain}`;
  }
  return { hostname, domain };
}

function hostAliasLines(pod: Pick<Pod, 'spec'>): string {
  const aliases = pod.spec.hostAliases ?? [];
  if (aliases.length === 0) return '';
  let s = '\n# Entries added by HostAliases.\n';
  for (const a of aliases) s += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  return s;
}

/**
 * The text of the pod's /etc/hosts: localhost entries, the pod's own line (FQDN first when it has
 * a subdomain), then hostAliases. A hostNetwork pod gets the node's file plus its hostAliases.
 * Throws (as the kubelet fails the pod) on an invalid hostname/subdomain, or when a hostNetwork
 * pod's node file is not given.
 */
export function podHostsFile(pod: Pick<Pod, 'spec'> & { metadata: { name?: string; namespace?: string } }, o: PodHostsFileOptions): string {
  if (pod.spec.hostNetwork) {
    if (o.nodeHostsFile === undefined) throw new Error(`Cannot build /etc/hosts for host-network pod ${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}: the node's hosts file was not given`);
    return MANAGED_HOSTS_HEADER_HOST_NETWORK + o.nodeHostsFile + hostAliasLines(pod);
  }
  const { hostname, domain } = podHostnameAndDomain(pod, o.clusterDomain);
  let s = MANAGED_HOSTS_HEADER;
  s += '127.0.0.1\tlocalhost\n';
  s += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  s += 'fe00::0\tip6-localnet\n';
  s += 'fe00::0\tip6-mcastprefix\n';
  s += 'fe00::1\tip6-allnodes\n';
  s += 'fe00::2\tip6-allrouters\n';
  for (const ip of o.podIPs?.length ? o.podIPs : [o.podIP]) s += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return s + hostAliasLines(pod);
}
