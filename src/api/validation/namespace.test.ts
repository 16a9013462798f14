import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Namespace } from '../core.js';
import { errorString, type FieldError } from '../field.js';
import { validateNamespace } from './namespace.js';

const msgs = (errs: FieldError[]) => errs.map(errorString);

test('namespace names are DNS-1123 labels and spec finalizers must be known or qualified', () => {
  const ns = (name: string, finalizers?: string[]): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers } });
  assert.deepEqual(validateNamespace(ns('team-a', ['kubernetes'])), []);
  assert.deepEqual(msgs(validateNamespace(ns('team.a'))), [
    `metadata.name: Invalid value: "team.a": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
  ]);
  assert.deepEqual(msgs(validateNamespace(ns('x'.repeat(64))))[0], `metadata.name: Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`);
  assert.deepEqual(msgs(validateNamespace(ns('a', ['custom']))), ['spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified']);
});
