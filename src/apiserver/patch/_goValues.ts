// How Go sees a decoded JSON value: its dynamic type, `==` on interface{} values, and fmt's
// `%v` / `%s` rendering. Upstream error messages print patch maps with `%v`, so matching the
// messages means printing like Go: `map[` keys sorted `k:v` `]`, lists `[a b]`, nil `<nil>`.
//
// The apiserver decodes patches with PreserveInts, so integral numbers are int64 and the rest
// float64 (a JSON `1.0` is float64 in Go but indistinguishable from `1` here).
import { isJsonObject, type JsonObject, type JsonValue } from './_json.js';

export type GoType = 'map' | 'slice' | 'string' | 'int64' | 'float64' | 'bool' | 'nil';

export function goType(v: JsonValue): GoType {
  if (v === null) return 'nil';
  if (Array.isArray(v)) return 'slice';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return isInt64(v) ? 'int64' : 'float64';
    default:
      return 'map';
  }
}

const isInt64 = (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 63;

/** reflect.TypeOf(v).String(), as printed by `%s`; a nil interface prints `%!s(<nil>)`. */
export function goTypeName(v: JsonValue): string {
  const t = goType(v);
  switch (t) {
    case 'map':
      return 'map[string]interface {}';
    case 'slice':
      return '[]interface {}';
    case 'nil':
      return '%!s(<nil>)';
    default:
      return t;
  }
}

/** Thrown where Go would panic; the caller turns it into a 500 like the apiserver's recovery does. */
export class GoPanic extends Error {
  constructor(message: string) {
    super(`runtime error: ${message}`);
    this.name = 'GoPanic';
  }
}

/** Go `==` on two interface{} values holding decoded JSON; maps and slices are not comparable. */
export function goEqual(a: JsonValue, b: JsonValue): boolean {
  const ta = goType(a);
  if (ta !== goType(b)) return false;
  if (ta === 'map' || ta === 'slice') throw new GoPanic(`comparing uncomparable type ${goTypeName(a)}`);
  return a === b;
}

/** A key usable in a Go map[interface{}]: maps and slices are unhashable. */
export function goHashKey(v: JsonValue): string {
  const t = goType(v);
  if (t === 'map' || t === 'slice') throw new GoPanic(`hash of unhashable type ${goTypeName(v)}`);
  return `${t}:${String(v)}`;
}

/** fmt's `%v`. */
export function goV(v: JsonValue | JsonValue[][]): string {
  return format(v as JsonValue, 'v');
}

/** fmt's `%s`: strings print raw, other scalars as `%!s(type=value)`. */
export function goS(v: JsonValue): string {
  return format(v, 's');
}

function format(v: JsonValue, verb: 'v' | 's'): string {
  if (Array.isArray(v)) return `[${v.map((x) => format(x, verb)).join(' ')}]`;
  if (isJsonObject(v)) return formatMap(v, verb);
  if (v === null) return verb === 'v' ? '<nil>' : '%!s(<nil>)';
  if (typeof v === 'string') return v;
  const text = typeof v === 'number' ? goNumber(v) : String(v);
  return verb === 'v' ? text : `%!s(${goType(v)}=${text})`;
}

function formatMap(m: JsonObject, verb: 'v' | 's'): string {
  // fmt sorts string keys bytewise; the keys of Kubernetes objects are ASCII.
  const keys = Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${keys.map((k) => `${k}:${format(m[k] as JsonValue, verb)}`).join(' ')}]`;
}

/** An int64 in decimal, a float64 like strconv.FormatFloat(f, 'g', -1, 64). */
export function goNumber(n: number): string {
  if (isInt64(n)) return n.toFixed(0);
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  const [mant = '0', expText = '0'] = n.toExponential().split('e');
  const negative = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const exp = Number(expText);
  let body: string;
  if (exp < -4 || exp >= 6) {
    // %e with the shortest digits and at least two exponent digits.
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exp);
    body = `${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  } else if (exp < 0) {
    body = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else {
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    body = frac ? `${intPart}.${frac}` : intPart;
  }
  return negative ? `-${body}` : body;
}
