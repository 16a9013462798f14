// Decoding a PATCH request body the way the apiserver's patch handler decodes it, so that a
// malformed body fails with the same 400 message. The default field validation is "Warn", as on
// a real server when the request has no fieldValidation parameter: JSON and merge patches are
// then first decoded strictly, which prefixes their errors with "error decoding patch: ".
import { isJsonObject, type JsonObject, type JsonValue } from './_json.js';
import { decodeGoJson, GoJsonError } from './_goJson.js';
import { patchBadRequest, patchUnsupportedMediaType } from './patchError.js';

export type PatchType = 'json' | 'merge' | 'strategic';
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The content type kubectl sends for each patch type. */
export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** What the apiserver lists in its 415 for built-in kinds, in its order (handled elsewhere: apply). */
export const ACCEPTED_PATCH_CONTENT_TYPES: readonly string[] = [
  PATCH_CONTENT_TYPES.json,
  PATCH_CONTENT_TYPES.merge,
  PATCH_CONTENT_TYPES.strategic,
  'application/apply-patch+yaml',
];

export type ParsedPatch =
  | { type: 'json'; patch: JsonValue[] }
  | { type: 'merge'; patch: JsonValue }
  | { type: 'strategic'; patch: JsonObject };

export interface ParsePatchOptions {
  /** The request's `fieldValidation` parameter; the apiserver's default is Warn. */
  fieldValidation?: FieldValidation;
}

/**
 * Recognizes the patch type from the Content-Type header (parameters after ";" ignored) and
 * decodes the body. Throws PatchError 415 for other types and 400 for undecodable bodies.
 * Server-side apply (application/apply-patch+yaml) is not handled here.
 */
export function parsePatchBody(contentType: string, body: string, opts: ParsePatchOptions = {}): ParsedPatch {
  const semi = contentType.indexOf(';');
  const mediaType = semi > 0 ? contentType.slice(0, semi) : contentType;
  const strict = (opts.fieldValidation ?? 'Warn') !== 'Ignore';
  switch (mediaType) {
    case PATCH_CONTENT_TYPES.json:
      return { type: 'json', patch: decodeJsonPatch(body, strict) };
    case PATCH_CONTENT_TYPES.merge:
      return { type: 'merge', patch: decodeMergePatch(body, strict) };
    case PATCH_CONTENT_TYPES.strategic:
      return { type: 'strategic', patch: decodeStrategicPatch(body) };
    default:
      throw patchUnsupportedMediaType(contentType, ACCEPTED_PATCH_CONTENT_TYPES);
  }
}

/** Go's UnmarshalTypeError wording for a JSON value of the wrong kind. */
function cannotUnmarshal(v: JsonValue, goType: string, field?: string): string {
  const kind = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;
  return field
    ? `json: cannot unmarshal ${kind} into Go struct field ${field} of type ${goType}`
    : `json: cannot unmarshal ${kind} into Go value of type ${goType}`;
}

function decode(body: string, prefix: string): JsonValue {
  try {
    return decodeGoJson(body);
  } catch (e) {
    if (e instanceof GoJsonError) throw patchBadRequest(`${prefix}${e.message}`);
    throw e;
  }
}

/**
 * Strict: kjson.UnmarshalStrict into []handlers.jsonPatchOp, then jsonpatch.DecodePatch.
 * Non-strict: jsonpatch.DecodePatch alone ([]map[string]*json.RawMessage).
 * Bad operations inside a well-formed list are left to applying (422).
 */
function decodeJsonPatch(body: string, strict: boolean): JsonValue[] {
  const prefix = strict ? 'error decoding patch: ' : '';
  const v = decode(body, prefix);
  if (v === null) return [];
  const listType = strict ? '[]handlers.jsonPatchOp' : 'jsonpatch.Patch';
  const opType = strict ? 'handlers.jsonPatchOp' : 'jsonpatch.Operation';
  if (!Array.isArray(v)) throw patchBadRequest(prefix + cannotUnmarshal(v, listType));
  for (const op of v) {
    if (op !== null && !isJsonObject(op)) throw patchBadRequest(prefix + cannotUnmarshal(op, opType));
    if (strict && isJsonObject(op)) {
      for (const field of ['op', 'path', 'from']) {
        const x = op[field];
        if (x !== undefined && x !== null && typeof x !== 'string') {
          throw patchBadRequest(prefix + cannotUnmarshal(x, 'string', `jsonPatchOp.${field}`));
        }
      }
    }
  }
  return v;
}

/**
 * Strict: kjson.UnmarshalStrict into map[string]interface{} first. Then jsonpatch.MergePatch,
 * which answers ErrBadJSONPatch ("Invalid JSON Patch") for null and scalars. An array passes
 * here and fails later: the patched document is no longer an object (422).
 */
function decodeMergePatch(body: string, strict: boolean): JsonValue {
  let v: JsonValue;
  try {
    v = decodeGoJson(body);
  } catch (e) {
    if (!(e instanceof GoJsonError)) throw e;
    throw patchBadRequest(strict ? `error decoding patch: ${e.message}` : 'Invalid JSON Patch');
  }
  if (strict && v !== null && !isJsonObject(v)) {
    throw patchBadRequest(`error decoding patch: ${cannotUnmarshal(v, 'map[string]interface {}')}`);
  }
  if (v === null || (!isJsonObject(v) && !Array.isArray(v))) throw patchBadRequest('Invalid JSON Patch');
  return v;
}

/** kjson.UnmarshalCaseSensitivePreserveInts into map[string]interface{}; `null` is an empty patch. */
function decodeStrategicPatch(body: string): JsonObject {
  const v = decode(body, '');
  if (v === null) return {};
  if (!isJsonObject(v)) throw patchBadRequest(cannotUnmarshal(v, 'map[string]interface {}'));
  return v;
}
