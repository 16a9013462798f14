// Public entry of apiserver/protobuf: decoding Kubernetes protobuf request bodies. See README.md.
export { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from './decode.js';
export type { DecodeOptions } from './decode.js';
export { ProtobufDecodeError, isProtobufDecodeError } from './_error.js';
export type { DecodeFailure, DecodedKind } from './_error.js';
export { supportedKinds } from './_schema.js';
