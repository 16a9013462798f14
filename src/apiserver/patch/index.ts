// apiserver/patch: JSON Patch, JSON Merge Patch and strategic merge patch as the Kubernetes
// apiserver applies them to a PATCH request. Pure functions, no I/O. See README.md.
export { applyPatch, type ApplyPatchOptions } from './applyPatch.js';
export {
  parsePatchBody,
  PATCH_CONTENT_TYPES,
  ACCEPTED_PATCH_CONTENT_TYPES,
  type PatchType,
  type ParsedPatch,
  type ParsePatchOptions,
  type FieldValidation,
} from './parseBody.js';
export { PatchError, MAX_JSON_PATCH_OPERATIONS } from './patchError.js';
export { applyJsonPatch, JsonPatchError } from './jsonPatch.js';
export { mergePatch, type MergePatchOptions } from './mergePatch.js';
export { strategicMergePatch, type StrategicMergeOptions } from './strategic.js';
export { smpSchemaFor, type SmpSchema, type SmpField } from './schema.js';
export type { JsonValue, JsonObject } from './_json.js';
