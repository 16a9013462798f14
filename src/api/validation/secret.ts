// Secret validation (`ValidateSecret`, `ValidateSecretUpdate`): data keys, the 1 MiB total, the keys
// each well-known type requires, and immutability. `stringData` counts as data, as the conversion
// to the internal type merges it before upstream validates.
import type { Secret } from '../core.js';
import { field, root, type FieldError } from '../field.js';
import { semanticEqual, validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.js';
import { MAX_SECRET_SIZE } from './configmap.js';
import { isConfigMapKey } from './_strings.js';

/** The secret's data as bytes: `data` (base64 on the wire) overlaid with `stringData`. */
function secretBytes(s: Secret): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(s.data ?? {})) out.set(k, Buffer.from(v ?? '', 'base64'));
  for (const [k, v] of Object.entries(s.stringData ?? {})) out.set(k, Buffer.from(v ?? '', 'utf8'));
  return out;
}

/** What Go's `json.Unmarshal` into a map says about `text` for the simple failures; undefined if it parses. */
function goJSONObjectError(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 'unexpected end of JSON input';
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (e) {
    const c = trimmed[0]!;
    if (!'{["-0123456789tfn'.includes(c)) return `invalid character '${c}' looking for beginning of value`;
    const msg = e instanceof Error ? e.message : String(e);
    // Other syntax errors keep the JS parser's wording: Go's scanner messages are not reproduced.
    return /end of (JSON|data) input|Unexpected end/i.test(msg) ? 'unexpected end of JSON input' : msg;
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return undefined;
  const goType = Array.isArray(parsed) ? 'array' : parsed === null ? undefined : typeof parsed === 'string' ? 'string' : typeof parsed === 'number' ? 'number' : 'bool';
  return goType ? `json: cannot unmarshal ${goType} into Go value of type map[string]interface {}` : undefined;
}

export function validateSecret(s: Secret): FieldError[] {
  const errs = validateObjectMeta(s.metadata, { namespaced: true, nameRule: 'DNS1123Subdomain' });
  const data = secretBytes(s);
  const dataPath = root('data');
  let total = 0;
  for (const key of [...data.keys()].sort()) {
    for (const msg of isConfigMapKey(key)) errs.push(field.invalid(dataPath.key(key), key, msg));
    total += data.get(key)!.length;
  }
  if (total > MAX_SECRET_SIZE) errs.push(field.tooLong(dataPath, MAX_SECRET_SIZE));
  const requireJSON = (key: string) => {
    const v = data.get(key);
    if (!v) {
      errs.push(field.required(dataPath.key(key)));
      return;
    }
    const err = goJSONObjectError(v.toString('utf8'));
    if (err) errs.push(field.invalid(dataPath.key(key), '<secret contents redacted>', err));
  };
  switch (s.type ?? '') {
    case 'kubernetes.io/service-account-token':
      if (!s.metadata.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(field.required(root('metadata', 'annotations').key('kubernetes.io/service-account.name')));
      }
      break;
    case 'kubernetes.io/dockercfg':
      requireJSON('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      requireJSON('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      if (!data.has('username') && !data.has('password')) errs.push(field.required(dataPath.key('username')), field.required(dataPath.key('password')));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data.get('ssh-privatekey')?.length) errs.push(field.required(dataPath.key('ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!data.has('tls.crt')) errs.push(field.required(dataPath.key('tls.crt')));
      if (!data.has('tls.key')) errs.push(field.required(dataPath.key('tls.key')));
      break;
    default:
      break;
  }
  return errs;
}

export function validateSecretUpdate(s: Secret, old: Secret): FieldError[] {
  const errs = validateObjectMetaUpdate(s.metadata, old.metadata);
  errs.push(...validateImmutable(s.type ?? '', old.type ?? '', root('type')));
  if (old.immutable) {
    const msg = 'field is immutable when `immutable` is set';
    if (!s.immutable) errs.push(field.forbidden(root('immutable'), msg));
    if (!semanticEqual(Object.fromEntries(secretBytes(s)), Object.fromEntries(secretBytes(old)))) errs.push(field.forbidden(root('data'), msg));
  }
  errs.push(...validateSecret(s));
  return errs;
}
