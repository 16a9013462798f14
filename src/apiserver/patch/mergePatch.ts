// RFC 7386 JSON Merge Patch. The `kubernetes` flavor reproduces what the apiserver does with
// evanphx/json-patch's MergePatch: a patch value that is copied in rather than merged into an
// existing object also loses the null members of objects nested in its arrays (RFC 7386 keeps
// them). Whenever a result would differ, Kubernetes' typed decoding would drop those nulls anyway.
import { hasMember, isJsonObject, setMember, toJson, type JsonObject, type JsonValue } from './_json.js';

export interface MergePatchOptions {
  /** 'rfc7386' (default) follows the RFC word for word; 'kubernetes' follows the apiserver. */
  flavor?: 'rfc7386' | 'kubernetes';
}

/** MergePatch(target, patch) of RFC 7386 section 2; neither input is modified. */
export function mergePatch(target: JsonValue, patch: JsonValue, opts: MergePatchOptions = {}): JsonValue {
  return merge(toJson(target) ?? null, toJson(patch) ?? null, opts.flavor === 'kubernetes');
}

function merge(target: JsonValue, patch: JsonValue, pruneArrays: boolean): JsonValue {
  if (!isJsonObject(patch)) return pruneArrays ? pruneNulls(patch) : patch;
  const out: JsonObject = isJsonObject(target) ? target : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key] as JsonValue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = hasMember(out, key) ? (out[key] as JsonValue) : null;
    // evanphx keeps an array that replaces an existing object exactly as sent.
    const keepAsIs = pruneArrays && isJsonObject(current) && !isJsonObject(value);
    setMember(out, key, keepAsIs ? value : merge(current, value, pruneArrays));
  }
  return out;
}

/** Null members of objects disappear at any depth; null array elements stay. */
function pruneNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(pruneNulls);
  if (!isJsonObject(v)) return v;
  for (const key of Object.keys(v)) {
    const x = v[key] as JsonValue;
    if (x === null) delete v[key];
    else setMember(v, key, pruneNulls(x));
  }
  return v;
}
