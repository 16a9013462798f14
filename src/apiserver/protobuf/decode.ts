// Decodes `Content-Type: application/vnd.kubernetes.protobuf` request bodies into the JSON form of
// the same object. Wire format: the 4-byte magic `k8s\0`, then a runtime.Unknown whose typeMeta
// names the kind and whose `raw` is the object's own message (k8s.io/api generated.proto numbers).
import type { KubeObject, ObjectMeta } from '../../api/index.js';
import { type DecodedKind, ProtobufDecodeError } from './_error.js';
import { type JsonObject, toGoJson } from './_gojson.js';
import { UNKNOWN_TYPE, kindType, messageType } from './_schema.js';
import { checkWire } from './_wire.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** `k8s\0`, the prefix of every Kubernetes protobuf body. */
const MAGIC = [0x6b, 0x38, 0x73, 0x00] as const;

export interface DecodeOptions {
  /**
   * Filled into the envelope's typeMeta where it is empty, like upstream defaults an object's kind
   * from the request URL (copyKindDefaults): an empty kind takes `kind`; an empty apiVersion takes
   * `apiVersion`.
   */
  defaults?: Partial<DecodedKind>;
}

/**
 * Decodes a Kubernetes protobuf body into the object Go's encoding/json would print for it — the
 * same value the client would have sent as JSON (see README.md for the exact guarantees).
 * Throws ProtobufDecodeError for anything that is not such a body.
 */
export function decodeProtobufObject(body: Uint8Array, options: DecodeOptions = {}): KubeObject {
  const data = stripMagic(body);
  const unknownType = messageType(UNKNOWN_TYPE);
  checkWire(unknownType, data);
  const envelope = unknownType.decode(data) as unknown as Record<string, unknown>;

  const typeMeta = field(envelope, 'typeMeta');
  const sent: DecodedKind = {
    apiVersion: stringField(typeMeta, 'apiVersion'),
    kind: stringField(typeMeta, 'kind'),
  };
  const gvk: DecodedKind = {
    apiVersion: sent.apiVersion || (options.defaults?.apiVersion ?? ''),
    kind: sent.kind || (options.defaults?.kind ?? ''),
  };
  const goTypeMeta = `runtime.TypeMeta{APIVersion:${JSON.stringify(sent.apiVersion)}, Kind:${JSON.stringify(sent.kind)}}`;
  if (gvk.kind === '') {
    throw new ProtobufDecodeError('MissingKind', `Object 'Kind' is missing in '${goTypeMeta}'`);
  }
  if (gvk.apiVersion === '') {
    throw new ProtobufDecodeError('MissingKind', `Object 'apiVersion' is missing in '${goTypeMeta}'`, gvk);
  }

  const type = kindType(gvk.apiVersion, gvk.kind);
  if (type === undefined) {
    throw new ProtobufDecodeError(
      'UnknownKind',
      `no kind ${JSON.stringify(gvk.kind)} is registered for version ${JSON.stringify(gvk.apiVersion)} in scheme "pkg/api/legacyscheme/scheme.go:30"`,
      gvk,
    );
  }

  const raw = field(envelope, 'raw');
  const rawBytes = raw instanceof Uint8Array ? raw : new Uint8Array(0);
  let fields: JsonObject;
  try {
    checkWire(type, rawBytes);
    fields = toGoJson(type, type.decode(rawBytes) as unknown as Record<string, unknown>);
  } catch (e) {
    if (e instanceof ProtobufDecodeError) throw new ProtobufDecodeError(e.failure, e.message, gvk);
    throw e;
  }
  return withTypeMeta(gvk, fields);
}

function stripMagic(body: Uint8Array): Uint8Array {
  if (body.length === 0) throw new ProtobufDecodeError('NotProtobuf', 'empty data');
  if (body.length < MAGIC.length || MAGIC.some((b, i) => body[i] !== b)) {
    throw new ProtobufDecodeError(
      'NotProtobuf',
      `provided data does not appear to be a protobuf message, expected prefix [${MAGIC.join(' ')}]`,
    );
  }
  if (body.length === MAGIC.length) throw new ProtobufDecodeError('NotProtobuf', 'empty body');
  return body.subarray(MAGIC.length);
}

/** TypeMeta is inlined first in every Go object (`kind`, then `apiVersion`). */
function withTypeMeta(gvk: DecodedKind, fields: JsonObject): KubeObject {
  const { metadata, ...rest } = fields;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    // Every registered kind has a non-pointer ObjectMeta, so toGoJson always prints one.
    throw new Error(`schema error: ${gvk.kind} has no metadata`);
  }
  const objectMeta: ObjectMeta = metadata;
  return { kind: gvk.kind, apiVersion: gvk.apiVersion, metadata: objectMeta, ...rest };
}

function field(msg: Record<string, unknown> | undefined, name: string): unknown {
  return msg !== undefined && Object.prototype.hasOwnProperty.call(msg, name) ? msg[name] : undefined;
}

function stringField(msg: unknown, name: string): string {
  if (typeof msg !== 'object' || msg === null) return '';
  const v = field(msg as Record<string, unknown>, name);
  return typeof v === 'string' ? v : '';
}
