// The patch step of PATCH: one function for the three patch types kubectl sends, answering
// failures as PatchError with the apiserver's status codes. Pure: the inputs are not modified.
import { isJsonObject, toJson, type JsonObject, type JsonValue } from './_json.js';
import { applyJsonPatch, JsonPatchError } from './jsonPatch.js';
import { mergePatch } from './mergePatch.js';
import { ACCEPTED_PATCH_CONTENT_TYPES, PATCH_CONTENT_TYPES, type PatchType } from './parseBody.js';
import { field, invalid } from '../../api/index.js';
import {
  MAX_JSON_PATCH_OPERATIONS,
  PatchError,
  patchBadRequest,
  patchTooManyOperations,
  patchUnprocessable,
  patchUnsupportedMediaType,
} from './patchError.js';
import { smpSchemaFor } from './schema.js';
import { strategicMergePatch } from './strategic.js';

export interface ApplyPatchOptions {
  type: PatchType;
  /** apiVersion and kind of the patched object: they pick the strategic merge schema. */
  apiVersion: string;
  kind: string;
}

/**
 * Applies `patch` (as parsePatchBody returns it) to `original`. The result is whatever the
 * patch made of the object; the caller validates it like any update.
 */
export function applyPatch<T extends object>(original: T, patch: unknown, opts: ApplyPatchOptions): T {
  const doc = toJson(original);
  if (!isJsonObject(doc)) throw new TypeError('Cannot apply a patch: the original is not a JSON object');
  const p = toJson(patch) ?? null;
  return patchDocument(doc, p, opts) as unknown as T;
}

function patchDocument(doc: JsonObject, patch: JsonValue, opts: ApplyPatchOptions): JsonObject {
  switch (opts.type) {
    case 'json': {
      const ops = patch === null ? [] : patch;
      if (!Array.isArray(ops)) throw patchBadRequest(`json: cannot unmarshal ${isJsonObject(ops) ? 'object' : typeof ops} into Go value of type jsonpatch.Patch`);
      if (ops.length > MAX_JSON_PATCH_OPERATIONS) throw patchTooManyOperations(ops.length);
      try {
        const result = applyJsonPatch(doc, ops);
        if (isJsonObject(result)) return result;
        // jsonpatch v4 has no whole-document operations, so upstream fails these as any other op.
        throw new JsonPatchError('the patched document is not a JSON object');
      } catch (e) {
        if (e instanceof JsonPatchError) throw patchUnprocessable(e.message);
        throw e;
      }
    }
    case 'merge':
      if (patch === null || (!isJsonObject(patch) && !Array.isArray(patch))) throw patchBadRequest('Invalid JSON Patch');
      return decodedAsObject(mergePatch(doc, patch, { flavor: 'kubernetes' }));
    case 'strategic': {
      const schema = smpSchemaFor(opts.apiVersion, opts.kind);
      // Like custom resources upstream: the content type is not accepted for this kind.
      if (!schema) {
        throw patchUnsupportedMediaType(
          PATCH_CONTENT_TYPES.strategic,
          ACCEPTED_PATCH_CONTENT_TYPES.filter((t) => t !== PATCH_CONTENT_TYPES.strategic),
        );
      }
      if (patch === null) return doc;
      if (!isJsonObject(patch)) {
        throw patchBadRequest(`json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`);
      }
      return strategicMergePatch(doc, patch, { schema });
    }
  }
}

/** A merge patch that is an array replaces the object; decoding that into the kind fails (422). */
function decodedAsObject(v: JsonValue): JsonObject {
  if (isJsonObject(v)) return v;
  const decodeError =
    `couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type ` +
    'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';
  throw new PatchError(invalid({ group: '', kind: '' }, '', [field.invalid('patch', JSON.stringify(v), decodeError)]).status);
}
