// IP and CIDR parsing with the leniency of k8s.io/utils/net ParseIPSloppy / ParseCIDRSloppy:
// IPv4 octets may carry leading zeros ("010.0.0.1" is 10.0.0.1), because Services stored by
// older servers contain such values and must stay readable.

import type { IPFamily } from '../core.js';

/** A parsed address. `bytes` is 4 long for IPv4 (including IPv4-mapped IPv6) and 16 for IPv6. */
export interface ParsedIP {
  family: IPFamily;
  bytes: Uint8Array;
}

export interface ParsedCIDR {
  /** The masked network address ("127.96.0.5/12" gives 127.96.0.0). */
  network: ParsedIP;
  prefix: number;
}

function parseIPv4Bytes(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^[0-9]+$/.test(p) || p.length > 8) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIPv6Bytes(input: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  let s = input;
  let ellipsis = -1;
  let i = 0;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return out;
  }
  while (i < 16) {
    const m = /^[0-9a-fA-F]{1,4}/.exec(s);
    if (!m) return undefined;
    const group = m[0];
    if (s[group.length] === '.') {
      // Trailing embedded IPv4 address.
      if (ellipsis < 0 && i !== 12) return undefined;
      if (i + 4 > 16) return undefined;
      const v4 = parseIPv4Bytes(s);
      if (!v4) return undefined;
      out.set(v4, i);
      i += 4;
      s = '';
      break;
    }
    const n = parseInt(group, 16);
    out[i] = n >> 8;
    out[i + 1] = n & 0xff;
    i += 2;
    s = s.slice(group.length);
    if (s.length === 0) break;
    if (s[0] !== ':' || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const shift = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) out[j + shift] = out[j]!;
    for (let j = ellipsis + shift - 1; j >= ellipsis; j--) out[j] = 0;
  } else if (ellipsis >= 0) {
    return undefined;
  }
  return out;
}

function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/**
 * Parses an IPv4 or IPv6 address as Go's net.ParseIP does (sloppy IPv4). IPv4-mapped IPv6
 * addresses count as IPv4, as `ip.To4() != nil` makes them upstream.
 */
export function parseIP(s: string): ParsedIP | undefined {
  for (const ch of s) {
    if (ch === '.') {
      const b = parseIPv4Bytes(s);
      return b ? { family: 'IPv4', bytes: b } : undefined;
    }
    if (ch === ':') {
      const b = parseIPv6Bytes(s);
      if (!b) return undefined;
      return isV4Mapped(b) ? { family: 'IPv4', bytes: b.slice(12) } : { family: 'IPv6', bytes: b };
    }
  }
  return undefined;
}

/** Parses `ip/prefix` as ParseCIDRSloppy does; the result is masked to the network address. */
export function parseCIDR(s: string): ParsedCIDR | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  let bytes = parseIPv4Bytes(addr);
  let family: IPFamily = 'IPv4';
  if (!bytes) {
    bytes = addr.includes(':') ? parseIPv6Bytes(addr) : undefined;
    family = 'IPv6';
  }
  if (!bytes || !/^[0-9]+$/.test(mask)) return undefined;
  const prefix = Number(mask);
  if (prefix > bytes.length * 8) return undefined;
  const network = bytes.slice();
  for (let bit = prefix; bit < network.length * 8; bit++) network[bit >> 3]! &= ~(0x80 >> (bit & 7));
  return { network: { family, bytes: network }, prefix };
}

export function ipFamilyOf(s: string): IPFamily | 'unknown' {
  return parseIP(s)?.family ?? 'unknown';
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}

/** The IPv4 address as an unsigned 32-bit number. */
export function ipv4ToNumber(bytes: Uint8Array): number {
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

export function isUnspecified(ip: ParsedIP): boolean {
  return ip.bytes.every((b) => b === 0);
}

export function isLoopback(ip: ParsedIP): boolean {
  if (ip.family === 'IPv4') return ip.bytes[0] === 127;
  return ip.bytes.every((b, i) => (i === 15 ? b === 1 : b === 0));
}

export function isLinkLocalUnicast(ip: ParsedIP): boolean {
  if (ip.family === 'IPv4') return ip.bytes[0] === 169 && ip.bytes[1] === 254;
  return ip.bytes[0] === 0xfe && (ip.bytes[1]! & 0xc0) === 0x80;
}

export function isLinkLocalMulticast(ip: ParsedIP): boolean {
  if (ip.family === 'IPv4') return ip.bytes[0] === 224 && ip.bytes[1] === 0 && ip.bytes[2] === 0;
  return ip.bytes[0] === 0xff && (ip.bytes[1]! & 0x0f) === 0x02;
}
