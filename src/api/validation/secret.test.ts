import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Secret } from '../core.js';
import { errorString, type FieldError } from '../field.js';
import { validateSecret, validateSecretUpdate } from './secret.js';

const msgs = (errs: FieldError[]) => errs.map(errorString);
const meta = (name: string) => ({ name, namespace: 'default' });

test('secrets: keys, size, per-type required keys and an immutable type', () => {
  const s = (type: string | undefined, data: Record<string, string>): Secret => ({ apiVersion: 'v1', kind: 'Secret', metadata: meta('s'), type, data });
  assert.deepEqual(validateSecret(s('Opaque', { password: 'cGFzcw==' })), []);
  assert.deepEqual(msgs(validateSecret(s('kubernetes.io/tls', {}))), ['data[tls.crt]: Required value', 'data[tls.key]: Required value']);
  assert.deepEqual(msgs(validateSecret(s('Opaque', { '..x': 'eA==' }))), ["data[..x]: Invalid value: \"..x\": must not start with '..'"]);
  const big = Buffer.alloc(1024 * 1024 + 1).toString('base64');
  assert.deepEqual(msgs(validateSecret(s('Opaque', { a: big }))), ['data: Too long: may not be more than 1048576 bytes']);
  const old = { ...s('Opaque', {}), metadata: { ...meta('s'), resourceVersion: '1' } };
  assert.deepEqual(msgs(validateSecretUpdate({ ...old, type: 'kubernetes.io/basic-auth', data: { username: 'dQ==' } }, old)), [
    'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
  ]);
});

test('docker config secrets need well-formed JSON objects, reported with Go wording', () => {
  const s = (data: Record<string, string>): Secret => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pull', namespace: 'default' }, type: 'kubernetes.io/dockerconfigjson', data });
  const b64 = (t: string) => Buffer.from(t).toString('base64');
  assert.deepEqual(validateSecret(s({ '.dockerconfigjson': b64('{"auths":{}}') })), []);
  assert.deepEqual(msgs(validateSecret(s({}))), ['data[.dockerconfigjson]: Required value']);
  assert.deepEqual(msgs(validateSecret(s({ '.dockerconfigjson': b64('<xml/>') }))), [
    `data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character '<' looking for beginning of value`,
  ]);
  assert.deepEqual(msgs(validateSecret(s({ '.dockerconfigjson': b64('{"auths":') }))), ['data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": unexpected end of JSON input']);
  assert.deepEqual(msgs(validateSecret(s({ '.dockerconfigjson': b64('[]') }))), [
    'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}',
  ]);
});
