// Go's `%#v` / `String()` renderings of the non-string bad values that upstream validation puts in
// its messages (`field.Error.ErrorBody`). Pointers are dereferenced first, as ErrorBody does.
// Private to validation/.
import { GoValue, goQuote } from '../field.js';
import type { IntOrString } from '../core.js';
import type { LabelSelector } from '../meta.js';

/** `map[string]string{"a":"b", "c":"d"}` with sorted keys; a nil map is `map[string]string(nil)`. */
export function goStringMap(m: Readonly<Record<string, string>> | undefined | null): GoValue {
  return new GoValue(goStringMapText(m));
}

function goStringMapText(m: Readonly<Record<string, string>> | undefined | null): string {
  if (m === undefined || m === null) return 'map[string]string(nil)';
  const body = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(m[k] ?? '')}`)
    .join(', ');
  return `map[string]string{${body}}`;
}

function goStringSliceText(values: readonly string[] | undefined | null): string {
  if (values === undefined || values === null) return '[]string(nil)';
  return `[]string{${values.map(goQuote).join(', ')}}`;
}

/** A dereferenced `*metav1.LabelSelector` (its String() has a pointer receiver, so `%#v` applies). */
export function goLabelSelector(ls: LabelSelector): GoValue {
  const exprs = ls.matchExpressions;
  const exprText =
    exprs === undefined || exprs === null
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${exprs
          .map((e) => `v1.LabelSelectorRequirement{Key:${goQuote(e.key)}, Operator:${goQuote(e.operator)}, Values:${goStringSliceText(e.values)}}`)
          .join(', ')}}`;
  return new GoValue(`v1.LabelSelector{MatchLabels:${goStringMapText(ls.matchLabels)}, MatchExpressions:${exprText}}`);
}

/** An `intstr.IntOrString` value (String() has a pointer receiver, so `%#v` applies). */
export function goIntOrString(v: IntOrString | undefined): GoValue {
  if (typeof v === 'string') return new GoValue(`intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`);
  return new GoValue(`intstr.IntOrString{Type:0, IntVal:${v ?? 0}, StrVal:""}`);
}

/** `metav1.Time` through its String(): `2006-01-02 15:04:05 +0000 UTC`; the zero time for unset. */
export function goTime(iso: string | null | undefined): GoValue {
  const ms = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) return new GoValue('0001-01-01 00:00:00 +0000 UTC');
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return new GoValue(
    `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`,
  );
}

/** A Go struct value printed with `%#v`, e.g. `core.Taint{Key:"a", Value:"", Effect:"NoSchedule", TimeAdded:<nil>}`. */
export function goStruct(typeName: string, fields: readonly [string, string][]): GoValue {
  return new GoValue(`${typeName}{${fields.map(([k, v]) => `${k}:${v}`).join(', ')}}`);
}
