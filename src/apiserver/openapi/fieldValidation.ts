// Field validation of write requests, the server half of what the OpenAPI documents advertise:
// the `fieldValidation` parameter (Strict, Warn — the default —, Ignore) decides whether unknown
// and duplicate fields fail the request (400), come back as `Warning` headers, or pass silently.
// Values of the wrong type fail in every mode. Texts are the apiserver's handlers' (create.go,
// update.go, patch.go) word for word.
import { badRequest, field, invalid, type StatusError } from '../../api/index.js';
import { checkJson, checkObject, findDuplicateFields, findDuplicateYamlKeys, firstDecodeError, type DecodeTypeError } from '../../api/schema/index.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface Gvk {
  apiVersion: string;
  kind: string;
}

/**
 * The request's directive (absent or empty: Warn). An unknown value is a 422 on the options kind
 * (`CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: …`).
 */
export function fieldValidationOf(query: URLSearchParams, o: { options: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' }): FieldValidation {
  const v = query.get('fieldValidation') ?? '';
  if (v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw invalid({ group: 'meta.k8s.io', kind: o.options }, '', [field.notSupported('fieldValidation', v, ['', 'Ignore', 'Strict', 'Warn'])]);
}

export interface ValidationResult {
  /** Texts for `Warning: 299 - "…"` headers (Warn only). */
  warnings: string[];
}

const NONE: ValidationResult = { warnings: [] };

const versionOf = (apiVersion: string) => apiVersion.slice(apiVersion.indexOf('/') + 1);

/** transformDecodeError: `Service in version "v1" cannot be handled as a Service: …`. */
function cannotHandle(body: Gvk, endpointKind: string, err: string): StatusError {
  return badRequest(`${body.kind} in version ${JSON.stringify(versionOf(body.apiVersion))} cannot be handled as a ${endpointKind}: ${err}`);
}

function typeFailure(errs: readonly DecodeTypeError[]): string | undefined {
  return firstDecodeError(errs)?.message;
}

/**
 * POST and PUT bodies (JSON or YAML text, and the object parsed from it): type errors fail with
 * 400 in every mode; unknown and duplicate fields fail with 400 under Strict, are returned as
 * warnings under Warn, pass under Ignore. `gvk` is the endpoint's kind.
 */
export function validateBody(o: { text: string; format: 'json' | 'yaml'; object: unknown; gvk: Gvk; directive: FieldValidation }): ValidationResult {
  const bodyGvk = bodyKind(o.object, o.gvk);
  let strictErrors: string[];
  let typeErrors: DecodeTypeError[];
  if (o.format === 'json') {
    const r = checkJson(o.text, o.gvk);
    if (!r) return NONE;
    strictErrors = r.strictErrors;
    typeErrors = r.typeErrors;
  } else {
    // YAML is converted to JSON first (keys sorted), then decoded; the converter reports duplicates.
    const r = checkObject(sortKeys(o.object), o.gvk);
    strictErrors = [...(o.directive === 'Ignore' ? [] : findDuplicateYamlKeys(o.text)), ...r.unknown.map((p) => `unknown field ${JSON.stringify(p)}`)];
    typeErrors = r.typeErrors;
  }
  const failure = typeFailure(typeErrors);
  if (failure) throw cannotHandle(bodyGvk, o.gvk.kind, failure);
  return strictOutcome(strictErrors, o.directive, (msg) => cannotHandle(bodyGvk, o.gvk.kind, msg));
}

/**
 * JSON, merge and strategic merge patches: duplicate fields of the patch text, then unknown
 * fields of the patched object (400 `strict decoding error: …` under Strict, warnings under
 * Warn); a patched object with a value of the wrong type is a 422 in every mode.
 */
export function validatePatch(o: { patchText: string; patched: unknown; gvk: Gvk; directive: FieldValidation }): ValidationResult {
  const r = checkObject(o.patched, o.gvk);
  const failure = typeFailure(r.typeErrors);
  if (failure) throw invalid({ group: '', kind: '' }, '', [field.invalid('patch', JSON.stringify(o.patched), failure)]);
  if (o.directive === 'Ignore') return NONE;
  const strictErrors = [...findDuplicateFields(o.patchText).map((p) => `duplicate field ${JSON.stringify(p)}`), ...r.unknown.map((p) => `unknown field ${JSON.stringify(p)}`)];
  return strictOutcome(strictErrors, o.directive, (msg) => badRequest(msg));
}

/**
 * Server-side apply bodies (application/apply-patch+yaml): only repeated keys are checked here
 * (`error strict decoding YAML: …` under Strict); unknown fields always fail in applyConfiguration.
 */
export function validateApplyBody(o: { text: string; directive: FieldValidation }): ValidationResult {
  if (o.directive === 'Ignore') return NONE;
  const dups = findDuplicateYamlKeys(o.text);
  if (!dups.length) return NONE;
  if (o.directive === 'Strict') throw badRequest(`error strict decoding YAML: yaml: unmarshal errors:\n${dups.map((d) => `  ${d}`).join('\n')}`);
  return { warnings: dups };
}

function strictOutcome(errors: string[], directive: FieldValidation, fail: (message: string) => StatusError): ValidationResult {
  if (!errors.length || directive === 'Ignore') return NONE;
  if (directive === 'Strict') throw fail(`strict decoding error: ${errors.join(', ')}`);
  return { warnings: errors };
}

/** `Warning` header values (`299 - "unknown field \"spec.foo\""`), duplicates dropped, as the apiserver's recorder does. */
export function warningHeaders(warnings: readonly string[]): string[] {
  return [...new Set(warnings)].map((w) => `299 - ${quoted(w)}`);
}

/** makeQuotedString: `"` and `\\` escaped; control characters (and what an HTTP header cannot carry) replaced. */
function quoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c < 0x20 || c === 0x7f) out += ' ';
    else if (c > 0xff) out += '?';
    else out += ch;
  }
  return `${out}"`;
}

function bodyKind(object: unknown, fallback: Gvk): Gvk {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return fallback;
  const o = object as { apiVersion?: unknown; kind?: unknown };
  return {
    apiVersion: typeof o.apiVersion === 'string' && o.apiVersion ? o.apiVersion : fallback.apiVersion,
    kind: typeof o.kind === 'string' && o.kind ? o.kind : fallback.kind,
  };
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k])]));
}
