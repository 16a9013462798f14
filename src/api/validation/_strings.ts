// String validators of k8s.io/apimachinery/pkg/util/validation that names.ts does not cover, each
// returning upstream's messages (a list; empty means valid). Private to validation/.
import { maxLenError, regexError } from '../names.js';

export const inclusiveRangeError = (lo: number, hi: number) => `must be between ${lo} and ${hi}, inclusive`;

/** `IsValidPortNum`. */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** `IsValidPortName`: an IANA_SVC_NAME. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

function hasChDirPrefix(value: string): string[] {
  if (value === '.') return [`must not be '.'`];
  if (value === '..') return [`must not be '..'`];
  if (value.startsWith('..')) return [`must not start with '..'`];
  return [];
}

const configMapKeyFmt = '[-._a-zA-Z0-9]+';

/** `IsConfigMapKey`: keys of ConfigMap and Secret data. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!new RegExp(`^${configMapKeyFmt}$`).test(value)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  }
  return [...errs, ...hasChDirPrefix(value)];
}

const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*';

/** `IsEnvVarName`: the strict rule, used when RelaxedEnvironmentVariableValidation is off. */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!new RegExp(`^${envVarNameFmt}$`).test(value)) {
    errs.push(
      regexError(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
        envVarNameFmt,
        'my.env-name',
        'MY_ENV.NAME',
        'MyEnvName1',
      ),
    );
  }
  return [...errs, ...hasChDirPrefix(value)];
}

/** `IsRelaxedEnvVarName`: any printable ASCII but '=' (the 1.32 default, feature beta). */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push('environment variable name must be non-empty');
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (c > 0x7e || c < 0x20 || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

const percentFmt = '[0-9]+%';

/** `IsValidPercent`. */
export function isValidPercent(value: string): string[] {
  if (new RegExp(`^${percentFmt}$`).test(value)) return [];
  return [regexError("a valid percent string must be a numeric string followed by an ending '%'", percentFmt, '1%', '93%')];
}

const httpHeaderNameFmt = "[-A-Za-z0-9!#$%&'*+.^_`|~]+";

/** `IsHTTPHeaderName`. */
export function isHTTPHeaderName(value: string): string[] {
  if (new RegExp(`^${httpHeaderNameFmt}$`).test(value)) return [];
  return [regexError('a valid HTTP header must consist of alphanumeric characters or \'-\'', httpHeaderNameFmt, 'X-Header-Name')];
}

// ---------------------------------------------------------------- IP addresses

/** Parses an IPv4 or IPv6 literal (Go's `netutils.ParseIPSloppy`, which allows leading zeros). */
export function parseIP(s: string): { family: 4 | 6; bytes: number[] } | undefined {
  const v4 = parseIPv4(s);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = parseIPv6(s);
  if (!v6) return undefined;
  // An IPv4-mapped IPv6 address is treated as IPv4, as Go's To4() does.
  const mapped = v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return mapped ? { family: 4, bytes: v6.slice(12) } : { family: 6, bytes: v6 };
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

function parseIPv6(s: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length < 2) return undefined;
  let tail: number[] = [];
  let head = s;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = v4;
    head = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const group = (g: string): number[] | undefined => {
    if (g === '') return [];
    const out: number[] = [];
    for (const h of g.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(h)) return undefined;
      const n = parseInt(h, 16);
      out.push(n >> 8, n & 0xff);
    }
    return out;
  };
  const left = group(halves[0]!);
  const right = halves.length === 2 ? group(halves[1]!) : [];
  if (!left || !right) return undefined;
  let bytes: number[];
  if (halves.length === 2) {
    const fill = 16 - left.length - right.length;
    if (fill < 2) return undefined;
    bytes = [...left, ...new Array<number>(fill).fill(0), ...right];
  } else {
    if (left.length !== 16) return undefined;
    bytes = left;
  }
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

export const INVALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** `IsValidIP` (1.32 message). */
export function isValidIP(value: string): string[] {
  return parseIP(value) ? [] : [INVALID_IP];
}

export function isValidIPv4(value: string): string[] {
  return parseIP(value)?.family === 4 ? [] : ['must be a valid IPv4 address'];
}

export function isValidIPv6(value: string): string[] {
  return parseIP(value)?.family === 6 ? [] : ['must be a valid IPv6 address'];
}

/**
 * `ValidateNonSpecialIP` messages: no unspecified, loopback or link-local addresses in endpoints.
 * `allowLoopback` exists for kubeloop's loopback network mode, whose pod IPs live in 127.0.0.0/8.
 */
export function nonSpecialIPErrors(value: string, opts: { allowLoopback?: boolean } = {}): string[] {
  const ip = parseIP(value);
  if (!ip) return ['must be a valid IP address'];
  const b = ip.bytes;
  const errs: string[] = [];
  if (b.every((x) => x === 0)) errs.push(`may not be unspecified (${value})`);
  const loopback = ip.family === 4 ? b[0] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  if (loopback && !opts.allowLoopback) errs.push('may not be in the loopback range (127.0.0.0/8, ::1/128)');
  const linkLocal = ip.family === 4 ? b[0] === 169 && b[1] === 254 : b[0] === 0xfe && (b[1]! & 0xc0) === 0x80;
  if (linkLocal) errs.push('may not be in the link-local range (169.254.0.0/16, fe80::/10)');
  const llMulticast = ip.family === 4 ? b[0] === 224 && b[1] === 0 && b[2] === 0 : b[0] === 0xff && (b[1]! & 0x0f) === 0x02;
  if (llMulticast) errs.push('may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)');
  return errs;
}
