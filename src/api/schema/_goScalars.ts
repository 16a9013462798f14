// How the Go types with their own UnmarshalJSON reject a JSON string, word for word:
// resource.Quantity (ParseQuantity), metav1.Time / MicroTime (time.Parse) and []byte
// (base64.StdEncoding). Each returns the error text, or undefined when Go accepts the value.

const QUANTITY_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_SUFFIX = "unable to parse quantity's suffix";
const SUFFIXES = new Set(['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E']);
const isDigit = (c: string) => c >= '0' && c <= '9';

/** resource.ParseQuantity's error for `s`, following parseQuantityString's scan. */
export function quantityError(s: string): string | undefined {
  if (s.length === 0) return QUANTITY_FORMAT;
  if (s === '0') return undefined;
  let pos = 0;
  const end = s.length;
  if (s[0] === '-' || s[0] === '+') pos++;
  while (pos < end && s[pos] === '0') pos++;
  if (pos >= end) return undefined;
  while (pos < end && isDigit(s.charAt(pos))) pos++;
  if (pos >= end) return undefined;
  if (s[pos] === '.') {
    pos++;
    while (pos < end && isDigit(s.charAt(pos))) pos++;
    if (pos >= end) return undefined;
  }
  const suffixStart = pos;
  while (pos < end && 'eEinumkKMGTP'.includes(s.charAt(pos))) pos++;
  if (pos < end && (s[pos] === '-' || s[pos] === '+')) pos++;
  while (pos < end && isDigit(s.charAt(pos))) pos++;
  if (pos < end) return QUANTITY_FORMAT;
  const suffix = s.slice(suffixStart);
  if (SUFFIXES.has(suffix)) return undefined;
  if ((suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1))) return undefined;
  return QUANTITY_SUFFIX;
}

export const RFC3339 = '2006-01-02T15:04:05Z07:00';
export const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

type Element = { layout: string; match: (rest: string) => number; range?: [number, number, string] };
const digits = (n: number) => (rest: string) => (new RegExp(`^\\d{${n}}`).test(rest) ? n : -1);
const literal = (text: string) => (rest: string) => (rest.startsWith(text) ? text.length : -1);
const zone = (rest: string) => (rest.startsWith('Z') ? 1 : /^[+-]\d{2}:\d{2}/.test(rest) ? 6 : -1);

function layoutElements(micro: boolean): Element[] {
  return [
    { layout: '2006', match: digits(4) },
    { layout: '-', match: literal('-') },
    { layout: '01', match: digits(2), range: [1, 12, 'month'] },
    { layout: '-', match: literal('-') },
    { layout: '02', match: digits(2), range: [1, 31, 'day'] },
    { layout: 'T', match: literal('T') },
    { layout: '15', match: digits(2), range: [0, 23, 'hour'] },
    { layout: ':', match: literal(':') },
    { layout: '04', match: digits(2), range: [0, 59, 'minute'] },
    { layout: ':', match: literal(':') },
    { layout: '05', match: digits(2), range: [0, 59, 'second'] },
    ...(micro ? [{ layout: '.000000', match: (rest: string) => (/^[.,]\d{6}/.test(rest) ? 7 : -1) }] : []),
    { layout: 'Z07:00', match: zone },
  ];
}

/** time.Parse(RFC3339 or RFC3339Micro)'s error for `s`, as metav1.Time/MicroTime report it. */
export function timeError(s: string, o: { micro: boolean }): string | undefined {
  const layout = o.micro ? RFC3339_MICRO : RFC3339;
  const q = JSON.stringify;
  let rest = s;
  for (const el of layoutElements(o.micro)) {
    // Go accepts fractional seconds after the seconds field even when the layout has none.
    if (!o.micro && el.layout === 'Z07:00') {
      const frac = /^[.,]\d+/.exec(rest);
      if (frac) rest = rest.slice(frac[0].length);
    }
    const n = el.match(rest);
    if (n < 0) return `parsing time ${q(s)} as ${q(layout)}: cannot parse ${q(rest)} as ${q(el.layout)}`;
    if (el.range) {
      const v = Number(rest.slice(0, n));
      if (v < el.range[0] || v > el.range[1]) return `parsing time ${q(s)}: ${el.range[2]} out of range`;
    }
    rest = rest.slice(n);
  }
  if (rest !== '') return `parsing time ${q(s)}: extra text: ${q(rest)}`;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    if (d > days) return `parsing time ${q(s)}: day out of range`;
  }
  return undefined;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** base64.StdEncoding.Decode's CorruptInputError text for `s` (a port of decodeQuantum). */
export function base64Error(s: string): string | undefined {
  const src = Buffer.from(s, 'utf8');
  const bad = (i: number) => `illegal base64 data at input byte ${i}`;
  const isNl = (b: number | undefined) => b === 0x0a || b === 0x0d;
  let si = 0;
  while (si < src.length) {
    let j = 0;
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return undefined;
        return bad(si - j);
      }
      const c = src[si++]!;
      if (B64.includes(String.fromCharCode(c)) && c < 0x80) continue;
      if (isNl(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d /* = */) return bad(si - 1);
      if (j === 0 || j === 1) return bad(si - 1);
      if (j === 2) {
        while (si < src.length && isNl(src[si])) si++;
        if (si === src.length) return bad(src.length);
        if (src[si] !== 0x3d) return bad(si - 1);
        si++;
      }
      while (si < src.length && isNl(src[si])) si++;
      if (si < src.length) return bad(si);
      return undefined;
    }
  }
  return undefined;
}
