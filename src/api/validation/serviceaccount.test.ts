import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceAccount } from '../core.js';
import { errorString, type FieldError } from '../field.js';
import { validateServiceAccount } from './serviceaccount.js';

const msgs = (errs: FieldError[]) => errs.map(errorString);
const meta = (name: string) => ({ name, namespace: 'default' });

test('service accounts only check metadata', () => {
  const sa: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('Default') };
  assert.equal(msgs(validateServiceAccount(sa))[0]?.startsWith('metadata.name: Invalid value: "Default": a lowercase RFC 1123 subdomain'), true);
});
