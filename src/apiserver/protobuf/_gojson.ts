// Turns a protobufjs-decoded message into the JSON that Go's encoding/json would print for the
// same Go struct — i.e. what `kubectl create … --dry-run=client -o json` shows and what a JSON
// request body for the same object contains.
//
// gogo-protobuf writes every non-pointer field, zero or not (`12 00` for an empty string), and
// pointer fields only when non-nil; after decoding, Go applies its json tags. The `(go)` option on
// each schema field says which Go shape the field has:
//
//   (none)    scalar `T json:"x,omitempty"`: dropped when zero ("" / 0 / false / empty bytes);
//             repeated/map `omitempty`: dropped when empty;
//             message `*T json:"x,omitempty"`: kept exactly when present on the wire
//   "req"     no omitempty: always printed (zero value when absent; empty list/map → null)
//   "ptr"     scalar `*T json:"x,omitempty"`: kept exactly when present, even when zero
//   "ptrreq"  `*T json:"x"`: the value when present, otherwise null
//   "struct"  non-pointer struct: always printed (a zero struct when absent), as Go never omits
//             structs even with omitempty
//   "inline"  embedded struct (`json:",inline"`): its fields are merged into the parent
//
// Special messages follow their Go MarshalJSON: metav1.Time → RFC 3339 string or null when zero,
// resource.Quantity → string ("0" when zero), IntOrString → number or string, FieldsV1 → raw JSON.
// Map keys are sorted bytewise, as encoding/json sorts them.
import protobuf from 'protobufjs';
import { ProtobufDecodeError } from './_error.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A decoded protobufjs message seen as plain data; present fields are own properties. */
type Decoded = Record<string, unknown>;

type GoShape = 'default' | 'req' | 'ptr' | 'ptrreq' | 'struct' | 'inline';

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const TIME = `.${META}.Time`;
const MICRO_TIME = `.${META}.MicroTime`;
const FIELDS_V1 = `.${META}.FieldsV1`;
const QUANTITY = '.k8s.io.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = '.k8s.io.apimachinery.pkg.util.intstr.IntOrString';

/** Go encodes the zero time.Time as this many seconds before the Unix epoch (0001-01-01). */
const GO_ZERO_TIME_SECONDS = -62135596800;

/** The Go-JSON form of a decoded message of `type`; `msg` null means "absent" (the zero struct). */
export function toGoJson(type: protobuf.Type, msg: Decoded | null): JsonObject {
  const out: JsonObject = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    const shape = shapeOf(field);
    const raw = msg === null ? undefined : own(msg, field.name);
    const sub = field.resolvedType;

    if (field.map) {
      const entries = isRecord(raw) ? Object.keys(raw) : [];
      if (entries.length === 0) {
        if (shape === 'req') out[field.name] = null;
        continue;
      }
      const m: JsonObject = {};
      for (const key of entries.sort(compareBytewise)) {
        m[key] = elementValue(field, sub, isRecord(raw) ? raw[key] : undefined);
      }
      out[field.name] = m;
      continue;
    }

    if (field.repeated) {
      const items = Array.isArray(raw) ? raw : [];
      if (items.length === 0) {
        if (shape === 'req') out[field.name] = null;
        continue;
      }
      out[field.name] = items.map((item: unknown) => elementValue(field, sub, item));
      continue;
    }

    const present = raw !== undefined && raw !== null;
    if (sub instanceof protobuf.Type) {
      const value = present && isRecord(raw) ? raw : null;
      switch (shape) {
        case 'inline':
          Object.assign(out, toGoJson(sub, value));
          break;
        case 'struct':
        case 'req':
          out[field.name] = structValue(sub, value);
          break;
        case 'ptrreq':
          out[field.name] = value === null ? null : structValue(sub, value);
          break;
        case 'ptr':
        case 'default':
          if (value !== null) out[field.name] = structValue(sub, value);
          break;
        default:
          return unreachable(shape);
      }
      continue;
    }

    const value = present ? scalarValue(field, raw) : zeroScalar(field);
    switch (shape) {
      case 'default':
        if (!isZeroScalar(value)) out[field.name] = value;
        break;
      case 'req':
      case 'struct':
        out[field.name] = value;
        break;
      case 'ptr':
        if (present) out[field.name] = value;
        break;
      case 'ptrreq':
        out[field.name] = present ? value : null;
        break;
      case 'inline':
        throw new Error(`schema error: scalar field ${type.fullName}.${field.name} cannot be inline`);
      default:
        return unreachable(shape);
    }
  }
  return out;
}

/** An element of a repeated field or a map value: Go slices/maps hold values, never nil structs. */
function elementValue(field: protobuf.Field, sub: protobuf.Type | protobuf.Enum | null, item: unknown): JsonValue {
  if (sub instanceof protobuf.Type) return structValue(sub, isRecord(item) ? item : null);
  if (item === undefined || item === null) return zeroScalar(field);
  return scalarValue(field, item);
}

/** A non-nil struct value, honouring the custom MarshalJSON of the special apimachinery types. */
function structValue(type: protobuf.Type, msg: Decoded | null): JsonValue {
  switch (type.fullName) {
    case TIME:
      return timeValue(msg, false);
    case MICRO_TIME:
      return timeValue(msg, true);
    case QUANTITY:
      return quantityValue(msg);
    case INT_OR_STRING:
      return intOrStringValue(msg);
    case FIELDS_V1:
      return fieldsV1Value(msg);
    default:
      return toGoJson(type, msg);
  }
}

/**
 * metav1.Time: an empty message is the zero time (null in JSON); otherwise time.Unix(s, n)
 * printed as RFC 3339 in UTC with whole seconds (MicroTime: six fractional digits).
 */
function timeValue(msg: Decoded | null, micro: boolean): JsonValue {
  if (msg === null || (own(msg, 'seconds') === undefined && own(msg, 'nanos') === undefined)) return null;
  const seconds = toNumber(own(msg, 'seconds') ?? 0);
  const nanos = toNumber(own(msg, 'nanos') ?? 0);
  const totalSeconds = seconds + Math.floor(nanos / 1e9);
  const fraction = ((nanos % 1e9) + 1e9) % 1e9;
  if (totalSeconds === GO_ZERO_TIME_SECONDS && fraction === 0) return null;
  const date = new Date(totalSeconds * 1000);
  const year = date.getUTCFullYear();
  if (!Number.isFinite(date.getTime()) || year < 0 || year > 9999) {
    throw new ProtobufDecodeError('InvalidValue', 'Time.MarshalJSON: year outside of range [0,9999]');
  }
  const base = date.toISOString().slice(0, 19); // YYYY-MM-DDTHH:MM:SS
  if (!micro) return `${base}Z`;
  return `${base}.${String(Math.floor(fraction / 1000)).padStart(6, '0')}Z`;
}

const QUANTITY_FORMAT = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const QUANTITY_SUFFIX = /^(|[numkMGTPE]|[KMGTPE]i|[eE][+-]?[0-9]+)$/;

/**
 * resource.Quantity travels as its string form. Go parses it on decode (rejecting garbage with
 * these exact messages) and prints its canonical string; clients serialise an already parsed
 * Quantity, so the string they send is canonical and is kept as is.
 */
function quantityValue(msg: Decoded | null): JsonValue {
  const s = msg === null ? undefined : own(msg, 'string');
  if (typeof s !== 'string') return '0';
  const m = QUANTITY_FORMAT.exec(s);
  const number = m?.[1] ?? '';
  if (m === null || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(number)) {
    throw new ProtobufDecodeError(
      'InvalidValue',
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    );
  }
  if (!QUANTITY_SUFFIX.test(m[2] ?? '')) {
    throw new ProtobufDecodeError('InvalidValue', "unable to parse quantity's suffix");
  }
  return s;
}

/** IntOrString{type: 0 Int | 1 String, intVal, strVal} → number or string. */
function intOrStringValue(msg: Decoded | null): JsonValue {
  const kind = msg === null ? 0 : toNumber(own(msg, 'type') ?? 0);
  if (kind === 0) return msg === null ? 0 : toNumber(own(msg, 'intVal') ?? 0);
  if (kind === 1) {
    const s = msg === null ? undefined : own(msg, 'strVal');
    return typeof s === 'string' ? s : '';
  }
  throw new ProtobufDecodeError('InvalidValue', 'impossible IntOrString.Type');
}

/** FieldsV1 holds JSON bytes that Go copies verbatim into the output. */
function fieldsV1Value(msg: Decoded | null): JsonValue {
  const raw = msg === null ? undefined : own(msg, 'Raw');
  if (!(raw instanceof Uint8Array) || raw.length === 0) return null;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8')) as JsonValue;
  } catch {
    throw new ProtobufDecodeError('InvalidValue', 'managedFields: fieldsV1 does not hold valid JSON');
  }
}

function scalarValue(field: protobuf.Field, v: unknown): JsonValue {
  switch (field.type) {
    case 'string':
      return typeof v === 'string' ? v : '';
    case 'bool':
      return v === true;
    case 'bytes':
      return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : '';
    default:
      return toNumber(v);
  }
}

function zeroScalar(field: protobuf.Field): JsonValue {
  switch (field.type) {
    case 'string':
    case 'bytes':
      return '';
    case 'bool':
      return false;
    default:
      return 0;
  }
}

function isZeroScalar(v: JsonValue): boolean {
  return v === '' || v === 0 || v === false;
}

/** int64 fields decode to Long (the `long` package is installed); JSON wants a number. */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'object' && v !== null && 'toNumber' in v && typeof v.toNumber === 'function') {
    const n: unknown = v.toNumber();
    if (typeof n === 'number') return n;
  }
  return 0;
}

function shapeOf(field: protobuf.Field): GoShape {
  const opt: unknown = field.options?.['(go)'];
  switch (opt) {
    case undefined:
      return 'default';
    case 'req':
    case 'ptr':
    case 'ptrreq':
    case 'struct':
    case 'inline':
      return opt;
    default:
      throw new Error(`schema error: unknown (go) option ${String(opt)} on ${field.fullName}`);
  }
}

function own(msg: Decoded, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(msg, key) ? msg[key] : undefined;
}

function isRecord(v: unknown): v is Decoded {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function compareBytewise(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function unreachable(x: never): never {
  throw new Error(`unreachable: ${String(x)}`);
}
