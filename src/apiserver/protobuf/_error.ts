// The one error type this component throws. The REST layer answers it with 400 BadRequest.

/** Why a body could not be decoded. A closed set so callers can switch on it exhaustively. */
export type DecodeFailure =
  /** Not `k8s\0` + runtime.Unknown, or nothing after the magic. */
  | 'NotProtobuf'
  /** A length or varint runs past the end of the body. */
  | 'Truncated'
  /** Bytes that no protobuf encoder produces: bad wire type, bad tag, overlong varint. */
  | 'Malformed'
  /** runtime.Unknown names no kind or no apiVersion (and no default was given). */
  | 'MissingKind'
  /** The kind/apiVersion pair is not one this package decodes. */
  | 'UnknownKind'
  /** Well-formed protobuf carrying a value Go would refuse (e.g. an unparsable Quantity). */
  | 'InvalidValue';

export interface DecodedKind {
  apiVersion: string;
  kind: string;
}

/**
 * A request body that is not a decodable Kubernetes protobuf object. `message` reads like the
 * upstream apiserver's decode error (e.g. `unexpected EOF`, `provided data does not appear to be a
 * protobuf message, expected prefix [107 56 115 0]`). `object` is the envelope's kind when it was
 * read before the failure, so the caller can say `Deployment in version "v1" cannot be handled as
 * a Deployment: <message>` like upstream does.
 */
export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';
  readonly failure: DecodeFailure;
  readonly object: DecodedKind | undefined;

  constructor(failure: DecodeFailure, message: string, object?: DecodedKind) {
    super(message);
    this.failure = failure;
    this.object = object;
  }
}

export function isProtobufDecodeError(e: unknown): e is ProtobufDecodeError {
  return e instanceof ProtobufDecodeError;
}
