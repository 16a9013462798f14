// IPv4 helpers for the proxy: kubeloop's data planes are single-stack IPv4.

/** The address as a 32-bit unsigned number, or undefined if it is not dotted-quad IPv4. */
export function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function numberToIPv4(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface IPv4CIDR {
  network: number;
  prefix: number;
  /** Number of addresses, network and broadcast included. */
  size: number;
}

export function parseIPv4CIDR(cidr: string): IPv4CIDR | undefined {
  const [ip, bits, extra] = cidr.split('/');
  if (ip === undefined || bits === undefined || extra !== undefined || !/^\d{1,2}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  const n = ipv4ToNumber(ip);
  if (n === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { network: n - (n % size), prefix, size };
}

export function cidrContains(c: IPv4CIDR, ip: string): boolean {
  const n = ipv4ToNumber(ip);
  return n !== undefined && n >= c.network && n < c.network + c.size;
}

/** A socket's remote address as plain IPv4 (`::ffff:127.0.0.1` → `127.0.0.1`). */
export function plainIPv4(address: string | undefined): string | undefined {
  if (!address) return undefined;
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
