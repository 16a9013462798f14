// resource.Quantity reduced to what validation messages need: parse, compare, and the canonical
// String() that upstream prints (`1000m` -> `1`, `1000` -> `1k`, `1536Mi` stays). Values are kept
// exactly as BigInt nano-units. Private to validation/.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value times 10^9 (upstream rounds anything finer up to 1n; so do we). */
  nano: bigint;
  format: QuantityFormat;
}

const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

export function parseQuantity(s: string): Quantity | undefined {
  const m = QUANTITY_RE.exec(s.trim());
  if (!m) return undefined;
  const num = m[1]!;
  const suffix = m[2]!;
  if (!/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/.test(num)) return undefined;
  const neg = num.startsWith('-');
  const [intPart = '', fracPart = ''] = num.replace(/^[+-]/, '').split('.');
  // mantissa = int.frac as a BigInt scaled by 10^frac.length
  const digits = BigInt((intPart || '0') + fracPart);
  const scale = fracPart.length;
  let format: QuantityFormat;
  let nano: bigint;
  const div = (n: bigint, d: bigint) => (n % d === 0n ? n / d : n / d + 1n); // round up, as upstream
  if (suffix in BINARY_SUFFIX) {
    format = 'BinarySI';
    nano = div(digits * 1_000_000_000n * 2n ** BigInt(BINARY_SUFFIX[suffix]!), 10n ** BigInt(scale));
  } else if (suffix in DECIMAL_SUFFIX) {
    format = 'DecimalSI';
    nano = scaled(digits, DECIMAL_SUFFIX[suffix]! - scale + 9);
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    format = 'DecimalExponent';
    nano = scaled(digits, Number(suffix.slice(1)) - scale + 9);
  } else {
    return undefined;
  }
  return { nano: neg ? -nano : nano, format };
}

function scaled(digits: bigint, exp: number): bigint {
  if (exp >= 0) return digits * 10n ** BigInt(exp);
  const d = 10n ** BigInt(-exp);
  return digits % d === 0n ? digits / d : digits / d + 1n;
}

export function compareQuantity(a: Quantity, b: Quantity): number {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0;
}

/** `Quantity.String()`: the canonical form. */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return '0';
  const neg = q.nano < 0n;
  const abs = neg ? -q.nano : q.nano;
  const sign = neg ? '-' : '';
  let format = q.format;
  if (format === 'BinarySI') {
    const whole = abs % 1_000_000_000n === 0n;
    if (abs < 1024n * 1_000_000_000n || !whole) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let v = abs / 1_000_000_000n;
    let exp = 0;
    while (exp < 60 && v % 1024n === 0n) {
      v /= 1024n;
      exp += 10;
    }
    const suffix = Object.keys(BINARY_SUFFIX).find((k) => BINARY_SUFFIX[k] === exp) ?? '';
    return `${sign}${v}${suffix}`;
  }
  // Largest exponent, a multiple of 3 between -9 and 18, that leaves an integer mantissa.
  let exp = -9;
  let mant = abs;
  while (exp < 18 && mant % 1000n === 0n) {
    mant /= 1000n;
    exp += 3;
  }
  if (format === 'DecimalExponent') return `${sign}${mant}${exp === 0 ? '' : `e${exp}`}`;
  const suffix = Object.keys(DECIMAL_SUFFIX).find((k) => DECIMAL_SUFFIX[k] === exp) ?? '';
  return `${sign}${mant}${suffix}`;
}
