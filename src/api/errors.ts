// Every API error is a Status built here (STYLE.md 4). Messages follow
// k8s.io/apimachinery/pkg/api/errors/errors.go word for word.
import type { Status, StatusCause, StatusReason } from './meta.js';
import { aggregateMessage, errorBody, type FieldError } from './field.js';

/** Group and resource, printed as `pods` or `deployments.apps`. */
export interface GroupResource {
  group: string;
  resource: string;
}
/** Group and kind, printed as `Service` or `Deployment.apps`. */
export interface GroupKind {
  group: string;
  kind: string;
}

const qualified = (name: string, group: string) => (group ? `${name}.${group}` : name);

/** An error that carries, and renders itself as, a Kubernetes Status. */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? 'unknown error');
    this.name = 'StatusError';
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): StatusReason | undefined {
    return this.status.reason;
  }
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

export function reasonOf(e: unknown): StatusReason | undefined {
  return isStatusError(e) ? e.status.reason : undefined;
}

export const isNotFound = (e: unknown) => reasonOf(e) === 'NotFound';
export const isAlreadyExists = (e: unknown) => reasonOf(e) === 'AlreadyExists';
export const isConflict = (e: unknown) => reasonOf(e) === 'Conflict';
export const isGone = (e: unknown) => reasonOf(e) === 'Gone' || reasonOf(e) === 'Expired';
export const isInvalid = (e: unknown) => reasonOf(e) === 'Invalid';

function status(code: number, reason: StatusReason, message: string, details?: Status['details']): StatusError {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) s.details = details;
  // Field order on the wire: kind, apiVersion, metadata, status, message, reason, details, code.
  const ordered: Status = {
    kind: s.kind,
    apiVersion: s.apiVersion,
    metadata: s.metadata,
    status: s.status,
    message: s.message,
    reason: s.reason,
    ...(details ? { details } : {}),
    code: s.code,
  };
  return new StatusError(ordered);
}

const details = (gr: GroupResource, name: string) => ({
  name,
  ...(gr.group ? { group: gr.group } : {}),
  kind: gr.resource,
});

export function notFound(gr: GroupResource, name: string): StatusError {
  return status(404, 'NotFound', `${qualified(gr.resource, gr.group)} "${name}" not found`, details(gr, name));
}

/** 404 for a path the server does not serve. */
export function notFoundPath(): StatusError {
  return status(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return status(409, 'AlreadyExists', `${qualified(gr.resource, gr.group)} "${name}" already exists`, details(gr, name));
}

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(gr: GroupResource, name: string, why: string): StatusError {
  return status(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr.resource, gr.group)} "${name}": ${why}`, details(gr, name));
}

export function invalid(gk: GroupKind, name: string, errs: readonly FieldError[]): StatusError {
  const causes: StatusCause[] = errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  const prefix = `${qualified(gk.kind, gk.group)} "${name}" is invalid`;
  const message = errs.length ? `${prefix}: ${aggregateMessage(errs)}` : prefix;
  return status(422, 'Invalid', message, {
    name,
    ...(gk.group ? { group: gk.group } : {}),
    kind: gk.kind,
    causes,
  });
}

export function badRequest(message: string): StatusError {
  return status(400, 'BadRequest', message);
}

export function unauthorized(message = 'Unauthorized'): StatusError {
  return status(401, 'Unauthorized', message);
}

export function forbidden(gr: GroupResource, name: string, why: string): StatusError {
  const subject = name ? `${qualified(gr.resource, gr.group)} "${name}"` : qualified(gr.resource, gr.group);
  return status(403, 'Forbidden', `${subject} is forbidden: ${why}`, details(gr, name));
}

export function methodNotSupported(gr: GroupResource, action: string): StatusError {
  return status(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualified(gr.resource, gr.group)}"`, {
    ...(gr.group ? { group: gr.group } : {}),
    kind: gr.resource,
  });
}

export function notAcceptable(message: string): StatusError {
  return status(406, 'NotAcceptable', message);
}

/** 410 for a watch or list from a compacted revision (`metav1.StatusReasonExpired`). */
export function resourceExpired(message: string): StatusError {
  return status(410, 'Expired', message);
}

export function gone(message: string): StatusError {
  return status(410, 'Gone', message);
}

export function requestEntityTooLarge(message: string): StatusError {
  return status(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

export function unsupportedMediaType(contentType: string, accepted: readonly string[]): StatusError {
  return status(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    contentType ? undefined : undefined,
  );
}

export function tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return status(429, 'TooManyRequests', message, { retryAfterSeconds });
}

export function internalError(err: unknown): StatusError {
  const msg = err instanceof Error ? err.message : String(err);
  return status(500, 'InternalError', `Internal error occurred: ${msg}`, { causes: [{ message: msg }] });
}

export function serviceUnavailable(message: string): StatusError {
  return status(503, 'ServiceUnavailable', message);
}

export function timeout(message: string, retryAfterSeconds = 0): StatusError {
  return status(504, 'Timeout', message, { retryAfterSeconds });
}

export function successStatus(details?: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details ? { details } : {}), code: 200 };
}

/** Turns anything thrown into a StatusError (unknown errors become 500 InternalError). */
export function toStatusError(e: unknown): StatusError {
  return isStatusError(e) ? e : internalError(e);
}
