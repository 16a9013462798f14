// PatchError: every failure of this folder, already shaped as the Status the real apiserver
// answers (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go):
//   400 BadRequest   undecodable patch bodies; strategic-merge-patch format errors
//                    (mergepatch.ErrBadJSONDoc, ErrBadPatchFormatFor{PrimitiveList,RetainKeys,
//                    SetElementOrderList}, ErrUnsupportedStrategicMergePatchFormat)
//   413              more than 10000 JSON Patch operations
//   415              a content type, or strategic merge patch on a kind without a schema
//   422 Invalid      a JSON Patch that does not apply (failed `test`, missing path, ...) and
//                    mergepatch.ErrNoListOfLists: NewGenericServerResponse, whose message is the
//                    generic "the server rejected our request due to an error in our request"
//   500 (no reason)  any other strategic-merge error (missing merge key, unknown $patch value,
//                    $setElementOrder mismatch): upstream returns a plain Go error, which the
//                    apiserver renders as a reason-less 500 with the error text, and kubectl
//                    prints as "Error from server: <text>".
// TODO(api/errors.ts): the 422 generic response and the reason-less 500 have no constructor
// there yet, so they are built here with the same field order.
import { badRequest, requestEntityTooLarge, StatusError, unsupportedMediaType, type Status } from '../../api/index.js';

export class PatchError extends StatusError {
  /** What actually failed; equals the Status message except for the generic 422. */
  readonly detail: string;

  constructor(status: Status, detail?: string) {
    super(status);
    this.name = 'PatchError';
    this.detail = detail ?? status.message ?? '';
  }
}

export function patchBadRequest(message: string): PatchError {
  return new PatchError(badRequest(message).status);
}

/** 422 as NewGenericServerResponse(StatusUnprocessableEntity, ...) builds it: the cause is not sent. */
export function patchUnprocessable(detail: string): PatchError {
  return new PatchError(
    {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server rejected our request due to an error in our request',
      reason: 'Invalid',
      details: {},
      code: 422,
    },
    detail,
  );
}

/** A plain Go error returned from the handler: code 500, no reason, the error text as message. */
export function patchFailed(message: string): PatchError {
  return new PatchError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 });
}

export function patchUnsupportedMediaType(contentType: string, accepted: readonly string[]): PatchError {
  return new PatchError(unsupportedMediaType(contentType, accepted).status);
}

export const MAX_JSON_PATCH_OPERATIONS = 10000;

export function patchTooManyOperations(count: number): PatchError {
  return new PatchError(
    requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${count}`).status,
  );
}
