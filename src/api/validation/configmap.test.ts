import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap } from '../core.js';
import { errorString, type FieldError } from '../field.js';
import { validateConfigMap, validateConfigMapUpdate } from './configmap.js';

const msgs = (errs: FieldError[]) => errs.map(errorString);
const meta = (name: string) => ({ name, namespace: 'default' });

test('configmap keys follow the config-key rule and may not repeat in binaryData', () => {
  const cm = (data: Record<string, string>, binaryData?: Record<string, string>): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cfg'), data, binaryData });
  assert.deepEqual(validateConfigMap(cm({ 'app.conf': 'x', KEY_1: 'y' })), []);
  assert.deepEqual(msgs(validateConfigMap(cm({ 'bad key': 'x' }))), [
    `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
  ]);
  assert.deepEqual(msgs(validateConfigMap(cm({ a: 'x' }, { a: 'eA==' }))), ['data[a]: Invalid value: "a": duplicate of key present in binaryData']);
  assert.deepEqual(msgs(validateConfigMap(cm({ big: 'x'.repeat(1024 * 1024 + 1) }))), [': Too long: may not be more than 1048576 bytes']);
  const old = { ...cm({ a: 'x' }), immutable: true, metadata: { ...meta('cfg'), resourceVersion: '1' } };
  assert.deepEqual(msgs(validateConfigMapUpdate({ ...old, data: { a: 'y' } }, old)), ['data: Forbidden: field is immutable when `immutable` is set']);
});
