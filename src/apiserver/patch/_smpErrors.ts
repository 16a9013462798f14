// The errors of k8s.io/apimachinery/pkg/util/mergepatch (errors.go) as the apiserver answers them
// (interpretStrategicMergePatchError in endpoints/handlers/patch.go): the format sentinels are 400,
// lists of lists 422, and every other error is a plain error, hence a reason-less 500.
import type { JsonObject, JsonValue } from './_json.js';
import { goS, goTypeName, goV } from './_goValues.js';
import { patchBadRequest, patchFailed, patchUnprocessable, type PatchError } from './patchError.js';

export const errBadPatchFormatForPrimitiveList = () => patchBadRequest('invalid patch format of primitive list');
export const errBadPatchFormatForRetainKeys = () => patchBadRequest('invalid patch format of retainKeys');
export const errBadPatchFormatForSetElementOrderList = () => patchBadRequest('invalid patch format of setElementOrder list');
export const errNoListOfLists = () => patchUnprocessable('lists of lists are not supported');

export function errNoMergeKey(m: JsonObject, key: string): PatchError {
  return patchFailed(`map: ${goV(m)} does not contain declared merge key: ${key}`);
}

/** ErrBadArgType(expected, actual); `expected` is the Go type the code asserted. */
export function errBadArgType(expected: 'map[string]interface {}' | '[]interface {}', actual: JsonValue): PatchError {
  return patchFailed(`expected a ${expected}, but received a ${goTypeName(actual)}`);
}

export function errBadPatchType(directive: JsonValue, m: JsonObject): PatchError {
  return patchFailed(`unknown patch type: ${goS(directive)} in map: ${goV(m)}`);
}
