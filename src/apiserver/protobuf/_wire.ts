// A structural pass over the bytes before protobufjs decodes them. protobufjs trusts the schema
// and reads a field with the schema's wire type whatever the tag says; Go's generated unmarshalers
// reject such input. Walking the tags first lets us fail the way upstream fails (same messages),
// and guarantees protobufjs only ever sees well-formed input.
import protobuf from 'protobufjs';
import { ProtobufDecodeError } from './_error.js';

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_START_GROUP = 3;
const WIRE_END_GROUP = 4;

/** Throws ProtobufDecodeError unless `bytes` is a well-formed encoding of `type`. */
export function checkWire(type: protobuf.Type, bytes: Uint8Array): void {
  try {
    checkMessage(type, protobuf.Reader.create(bytes));
  } catch (e) {
    throw asDecodeError(e);
  }
}

function checkMessage(type: protobuf.Type, r: protobuf.Reader): void {
  while (r.pos < r.len) {
    const tag = readTag(r);
    const fieldNo = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === WIRE_END_GROUP) {
      throw new ProtobufDecodeError('Malformed', `proto: ${type.name}: wiretype end group for non-group`);
    }
    if (fieldNo <= 0) {
      throw new ProtobufDecodeError('Malformed', `proto: ${type.name}: illegal tag ${fieldNo} (wire type ${wireType})`);
    }
    const field = type.fieldsById[fieldNo];
    if (field === undefined) {
      skip(r, wireType, fieldNo);
      continue;
    }
    field.resolve();
    const sub = field.resolvedType;
    if (field.map) {
      expectWire(field, wireType, WIRE_LEN);
      checkMapEntry(field, sub instanceof protobuf.Type ? sub : undefined, subReader(r));
    } else if (sub instanceof protobuf.Type) {
      expectWire(field, wireType, WIRE_LEN);
      checkMessage(sub, subReader(r));
    } else {
      const expected = scalarWireType(field);
      // Repeated numeric fields may arrive packed (one length-delimited run) or one per tag.
      const packedOk = field.repeated && expected !== WIRE_LEN && wireType === WIRE_LEN;
      if (!packedOk) expectWire(field, wireType, expected);
      skip(r, wireType, fieldNo);
    }
  }
}

/** A map entry is a message {1: key, 2: value}; both sides get the same checks as fields. */
function checkMapEntry(field: protobuf.Field, valueType: protobuf.Type | undefined, r: protobuf.Reader): void {
  while (r.pos < r.len) {
    const tag = readTag(r);
    const fieldNo = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === WIRE_END_GROUP || fieldNo <= 0) {
      throw new ProtobufDecodeError('Malformed', `proto: illegal tag ${fieldNo} (wire type ${wireType})`);
    }
    if (fieldNo === 1) {
      expectWire(field, wireType, WIRE_LEN); // every map in the Kubernetes API is keyed by string
      skip(r, wireType, fieldNo);
    } else if (fieldNo === 2 && valueType !== undefined) {
      expectWire(field, wireType, WIRE_LEN);
      checkMessage(valueType, subReader(r));
    } else if (fieldNo === 2) {
      expectWire(field, wireType, scalarWireType(field));
      skip(r, wireType, fieldNo);
    } else {
      skip(r, wireType, fieldNo);
    }
  }
}

/** Tags and lengths are read with the same checks protobufjs applies when it decodes. */
function readTag(r: protobuf.Reader): number {
  try {
    return r.tag();
  } catch (e) {
    if (e instanceof RangeError) throw e;
    throw new ProtobufDecodeError('Malformed', 'proto: illegal tag (overlong varint)');
  }
}

/** Reads a length prefix and returns a reader over exactly that many bytes. */
function subReader(r: protobuf.Reader): protobuf.Reader {
  const at = r.pos;
  let len: number;
  try {
    len = r.size();
  } catch (e) {
    if (e instanceof RangeError) throw e;
    // protobufjs refuses lengths of 2^32 and more. Go reads 64 bits: past ten bytes it reports an
    // overflow, otherwise the length runs past the end of any body we could hold.
    let n = 0;
    while (n < 10 && (r.buf[at + n] ?? 0) >= 0x80) n++;
    if (n >= 10) throw new ProtobufDecodeError('Malformed', 'proto: integer overflow');
    throw new ProtobufDecodeError('Truncated', 'unexpected EOF');
  }
  const start = r.pos;
  if (len > r.len - start) throw new ProtobufDecodeError('Truncated', 'unexpected EOF');
  r.skip(len);
  return protobuf.Reader.create(r.buf.subarray(start, start + len));
}

function skip(r: protobuf.Reader, wireType: number, fieldNo: number): void {
  if (wireType === WIRE_START_GROUP) {
    skipGroup(r, fieldNo);
    return;
  }
  if (wireType === WIRE_LEN) {
    subReader(r);
    return;
  }
  if (wireType === 6 || wireType === 7) {
    throw new ProtobufDecodeError('Malformed', `proto: illegal wireType ${wireType}`);
  }
  r.skipType(wireType);
}

/**
 * Groups never occur in Kubernetes protobuf but are legal in unknown fields. protobufjs insists the
 * end tag carries the start tag's field number, so the check does too.
 */
function skipGroup(r: protobuf.Reader, fieldNo: number): void {
  for (;;) {
    if (r.pos >= r.len) throw new ProtobufDecodeError('Truncated', 'unexpected EOF');
    const tag = readTag(r);
    const wireType = tag & 7;
    if (tag >>> 3 === 0) throw new ProtobufDecodeError('Malformed', `proto: illegal tag 0 (wire type ${wireType})`);
    if (wireType === WIRE_END_GROUP) {
      if (tag >>> 3 !== fieldNo) throw new ProtobufDecodeError('Malformed', 'proto: unexpected end of group');
      return;
    }
    skip(r, wireType, tag >>> 3);
  }
}

function scalarWireType(field: protobuf.Field): number {
  const t = (protobuf.types.basic as Record<string, number | undefined>)[field.type];
  return t ?? WIRE_VARINT;
}

function expectWire(field: protobuf.Field, got: number, want: number): void {
  if (got !== want) {
    throw new ProtobufDecodeError('Malformed', `proto: wrong wireType = ${got} for field ${goName(field.name)}`);
  }
}

/** Go's generated messages name fields by their Go name; capitalising the JSON name is close. */
function goName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** protobufjs reports running off the end as RangeError and overlong varints as Error. */
function asDecodeError(e: unknown): ProtobufDecodeError {
  if (e instanceof ProtobufDecodeError) return e;
  if (e instanceof RangeError) return new ProtobufDecodeError('Truncated', 'unexpected EOF');
  if (e instanceof Error && /varint/i.test(e.message)) return new ProtobufDecodeError('Malformed', 'proto: integer overflow');
  const message = e instanceof Error ? e.message : String(e);
  return new ProtobufDecodeError('Malformed', `proto: ${message}`);
}
