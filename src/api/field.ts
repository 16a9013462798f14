// Field paths and validation errors, as k8s.io/apimachinery/pkg/util/validation/field.
// Validation functions return FieldError[] and never throw halfway (STYLE.md 5).

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** A path into an object, rendered like `spec.ports[0].name` or `metadata.labels[app]`. */
export class FieldPath {
  private constructor(private readonly parts: readonly string[]) {}

  static root(...names: string[]): FieldPath {
    return new FieldPath([]).child(...names);
  }

  child(...names: string[]): FieldPath {
    const next = [...this.parts];
    for (const n of names) next.push(next.length === 0 ? n : `.${n}`);
    return new FieldPath(next);
  }

  index(i: number): FieldPath {
    return new FieldPath([...this.parts, `[${i}]`]);
  }

  key(k: string): FieldPath {
    return new FieldPath([...this.parts, `[${k}]`]);
  }

  toString(): string {
    return this.parts.join('');
  }
}

/**
 * A bad value as Go's fmt would print it in an error body. Strings are quoted (%q), numbers and
 * booleans plain; `GoValue` carries a pre-rendered `%#v` text for slices and structs
 * (e.g. `[]string{"10.0.0.5"}`), which is what upstream messages show.
 */
export class GoValue {
  constructor(readonly text: string) {}
  static strings(values: readonly string[]): GoValue {
    return new GoValue(`[]string{${values.map(goQuote).join(', ')}}`);
  }
}

const OMIT = Symbol('omitValue');
export type BadValue = string | number | boolean | null | undefined | GoValue | typeof OMIT;

export interface FieldError {
  type: FieldErrorType;
  field: string;
  badValue: BadValue;
  detail: string;
}

/** Go's strconv.Quote for the ASCII-printable strings that appear in API objects. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** The error text without the field, as `field.Error.ErrorBody()`; also a Status cause message. */
export function errorBody(e: FieldError): string {
  let s = typeText[e.type];
  const simpleTypes: FieldErrorType[] = ['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError'];
  if (!simpleTypes.includes(e.type) && e.badValue !== OMIT) {
    const v = e.badValue;
    if (v === null || v === undefined) s += ': null';
    else if (typeof v === 'string') s += `: ${goQuote(v)}`;
    else if (typeof v === 'number' || typeof v === 'boolean') s += `: ${v}`;
    else if (v instanceof GoValue) s += `: ${v.text}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export function errorString(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** Aggregated message: one error as is, several as `[e1, e2]`, duplicates dropped. */
export function aggregateMessage(errs: readonly FieldError[]): string {
  const seen = new Set<string>();
  const msgs: string[] = [];
  for (const e of errs) {
    const m = errorString(e);
    if (!seen.has(m)) {
      seen.add(m);
      msgs.push(m);
    }
  }
  return msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
}

function fe(type: FieldErrorType, path: FieldPath | string, badValue: BadValue, detail = ''): FieldError {
  return { type, field: path.toString(), badValue, detail };
}

export const field = {
  required: (path: FieldPath | string, detail = '') => fe('FieldValueRequired', path, '', detail),
  invalid: (path: FieldPath | string, value: BadValue, detail: string) => fe('FieldValueInvalid', path, value, detail),
  duplicate: (path: FieldPath | string, value: BadValue) => fe('FieldValueDuplicate', path, value),
  forbidden: (path: FieldPath | string, detail: string) => fe('FieldValueForbidden', path, '', detail),
  notFound: (path: FieldPath | string, value: BadValue) => fe('FieldValueNotFound', path, value),
  tooLong: (path: FieldPath | string, maxLength: number) =>
    fe('FieldValueTooLong', path, '', `may not be more than ${maxLength} bytes`),
  tooMany: (path: FieldPath | string, actual: number, max: number) =>
    fe('FieldValueTooMany', path, actual, `must have at most ${max} items`),
  internal: (path: FieldPath | string, message: string) => fe('InternalError', path, '', message),
  typeInvalid: (path: FieldPath | string, value: BadValue, detail: string) => fe('FieldValueTypeInvalid', path, value, detail),
  /** `Unsupported value: "X": supported values: "a", "b"` (values rendered in the given order). */
  notSupported: (path: FieldPath | string, value: BadValue, supported: readonly string[]) =>
    fe('FieldValueNotSupported', path, value, supported.length ? `supported values: ${supported.map(goQuote).join(', ')}` : ''),
  /** A field error whose body omits the value (`field.OmitValueType`). */
  omitValue: OMIT as BadValue,
};

export const root = FieldPath.root;
