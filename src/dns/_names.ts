// Private to dns/: canonical IP strings, reverse (PTR) names, and DNS name normalisation.
// Every IP that enters an index or leaves as record data goes through canonicalIp, so lookups by
// IP compare equal strings whatever form the API object or the query used.
import { isIPv4, isIPv6 } from 'node:net';

export type IpFamily = 'ipv4' | 'ipv6';

/** Lower-cases a DNS name and drops the trailing root dot: "Web.Default.SVC.cluster.local." → "web.default.svc.cluster.local". */
export function normalizeName(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') ? n.slice(0, -1) : n;
}

/**
 * The canonical text of an IP address, or undefined if `s` is not one. IPv4 octets lose leading
 * zeros ("010.0.0.1" → "10.0.0.1", as Kubernetes' sloppy parser reads them); IPv6 takes the
 * RFC 5952 form ("2001:DB8:0::1" → "2001:db8::1").
 */
export function canonicalIp(s: string): string | undefined {
  const v4 = parseIPv4(s);
  if (v4) return v4.join('.');
  if (!isIPv6(s)) return undefined;
  const host = new URL(`http://[${s}]`).hostname;
  return host.slice(1, -1);
}

export function ipFamily(ip: string): IpFamily | undefined {
  if (isIPv4(ip)) return 'ipv4';
  if (isIPv6(ip)) return 'ipv6';
  return undefined;
}

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** The 16 bytes of a (valid) IPv6 address. */
function ipv6Bytes(ip: string): number[] {
  const [head = '', tail] = ip.split('::') as [string, string | undefined];
  const groups = (part: string): number[] => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const v4 = parseIPv4(g) ?? [0, 0, 0, 0];
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else out.push(parseInt(g, 16));
    }
    return out;
  };
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

/** "127.96.0.10" → "10.0.96.127.in-addr.arpa"; IPv6 gives the 32-nibble ip6.arpa name. */
export function reverseName(ip: string): string {
  const v4 = parseIPv4(ip);
  if (v4) return `${v4.reverse().join('.')}.in-addr.arpa`;
  const nibbles = ipv6Bytes(ip).flatMap((b) => [b >> 4, b & 0xf]);
  return `${nibbles
    .reverse()
    .map((n) => n.toString(16))
    .join('.')}.ip6.arpa`;
}

export type ReverseParse =
  /** Not under in-addr.arpa or ip6.arpa. */
  | { kind: 'none' }
  /** Under a reverse zone but not a full address (a delegation point such as "96.127.in-addr.arpa"). */
  | { kind: 'partial' }
  | { kind: 'address'; ip: string };

/** Reads a normalised reverse name back into the canonical IP it names. */
export function parseReverseName(name: string): ReverseParse {
  if (name === 'in-addr.arpa' || name.endsWith('.in-addr.arpa')) {
    const labels = name === 'in-addr.arpa' ? [] : name.slice(0, -'.in-addr.arpa'.length).split('.');
    if (labels.length !== 4) return { kind: 'partial' };
    const ip = canonicalIp(labels.reverse().join('.'));
    return ip ? { kind: 'address', ip } : { kind: 'partial' };
  }
  if (name === 'ip6.arpa' || name.endsWith('.ip6.arpa')) {
    const labels = name === 'ip6.arpa' ? [] : name.slice(0, -'.ip6.arpa'.length).split('.');
    if (labels.length !== 32 || !labels.every((l) => /^[0-9a-f]$/.test(l))) return { kind: 'partial' };
    const hex = labels.reverse().join('');
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4));
    const ip = canonicalIp(groups.join(':'));
    return ip ? { kind: 'address', ip } : { kind: 'partial' };
  }
  return { kind: 'none' };
}

/**
 * The system-generated endpoint name the DNS spec allows when an endpoint has no hostname: the IP
 * with its separators replaced by dashes, as CoreDNS does ("127.244.0.5" → "127-244-0-5",
 * "2001:db8::1" → "2001-db8--1").
 */
export function dashedIp(ip: string): string {
  return ip.replace(/[.:]/g, '-');
}

/** The inverse of dashedIp for pod A records ("1-2-3-4.ns.pod.zone"); undefined if not an IP. */
export function undashIp(label: string): string | undefined {
  const dots = label.split('-');
  if (dots.length === 4 && !label.includes('--')) {
    const v4 = canonicalIp(dots.join('.'));
    if (v4 && ipFamily(v4) === 'ipv4') return v4;
  }
  const v6 = label.replace(/-/g, ':');
  return isIPv6(v6) ? canonicalIp(v6) : undefined;
}
