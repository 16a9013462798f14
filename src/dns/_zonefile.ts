// Private to dns/ (tests and diagnostics): prints records in zone-file presentation form, so tests
// compare answers with lines such as "web.default.svc.cluster.local. 5 IN A 127.96.0.20".
import type { Answer } from 'dns-packet';

const fqdn = (n: string) => (n.endsWith('.') ? n : `${n}.`);

function text(d: unknown): string {
  const parts = Array.isArray(d) ? d : [d];
  return parts.map((p) => `"${Buffer.isBuffer(p) ? p.toString() : String(p)}"`).join(' ');
}

export function recordLine(a: Answer): string {
  const head = `${fqdn(a.name)} ${'ttl' in a ? (a.ttl ?? 0) : 0} IN ${a.type}`;
  switch (a.type) {
    case 'A':
    case 'AAAA':
      return `${head} ${a.data}`;
    case 'CNAME':
    case 'PTR':
    case 'NS':
    case 'DNAME':
      return `${head} ${fqdn(a.data)}`;
    case 'SRV':
      return `${head} ${a.data.priority ?? 0} ${a.data.weight ?? 0} ${a.data.port} ${fqdn(a.data.target)}`;
    case 'TXT':
      return `${head} ${text(a.data)}`;
    case 'SOA':
      return `${head} ${fqdn(a.data.mname)} ${fqdn(a.data.rname)} ${a.data.serial ?? 0} ${a.data.refresh ?? 0} ${a.data.retry ?? 0} ${a.data.expire ?? 0} ${a.data.minimum ?? 0}`;
    case 'OPT':
      return `; OPT udp=${a.udpPayloadSize}`;
    default:
      return `${head} ...`;
  }
}

/** A response as text: ";; RCODE", the answers, then ";; AUTHORITY" and ";; ADDITIONAL" sections if any. */
export function responseText(r: { rcode: string; answers: readonly Answer[]; authorities?: readonly Answer[]; additionals?: readonly Answer[] }): string {
  const lines = [`;; ${r.rcode}`, ...r.answers.map(recordLine)];
  const auth = r.authorities ?? [];
  const add = (r.additionals ?? []).filter((a) => a.type !== 'OPT');
  if (auth.length) lines.push(';; AUTHORITY', ...auth.map(recordLine));
  if (add.length) lines.push(';; ADDITIONAL', ...add.map(recordLine));
  return lines.join('\n');
}

/** Template tag that trims the common indentation, so expected answers can sit indented in tests. */
export function zone(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  return raw
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .join('\n');
}
