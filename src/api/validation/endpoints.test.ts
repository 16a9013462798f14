import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints } from '../core.js';
import { errorString, type FieldError } from '../field.js';
import { validateEndpoints } from './endpoints.js';

const msgs = (errs: FieldError[]) => errs.map(errorString);
const meta = (name: string) => ({ name, namespace: 'default' });

test('endpoints reject empty subsets and special IPs unless loopback is allowed', () => {
  const ep = (ip: string): Endpoints => ({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta('web'),
    subsets: [{ addresses: [{ ip }], ports: [{ port: 8080, protocol: 'TCP' }] }],
  });
  assert.deepEqual(validateEndpoints(ep('10.244.1.5')), []);
  assert.deepEqual(msgs(validateEndpoints(ep('127.244.1.5'))), ['subsets[0].addresses[0].ip: Invalid value: "127.244.1.5": may not be in the loopback range (127.0.0.0/8, ::1/128)']);
  assert.deepEqual(validateEndpoints(ep('127.244.1.5'), { allowLoopback: true }), []);
  assert.deepEqual(msgs(validateEndpoints(ep('not-an-ip'))), [
    'subsets[0].addresses[0].ip: Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'subsets[0].addresses[0].ip: Invalid value: "not-an-ip": must be a valid IP address',
  ]);
  assert.deepEqual(msgs(validateEndpoints({ ...ep('10.0.0.1'), subsets: [{ ports: [{ port: 80, protocol: 'TCP' }] }] })), [
    'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
  ]);
  const twoPorts: Endpoints = { ...ep('10.0.0.1'), subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80, protocol: 'TCP' }, { name: 'b', port: 81, protocol: 'TCP' }] }] };
  assert.deepEqual(msgs(validateEndpoints(twoPorts)), ['subsets[0].ports[0].name: Required value']);
});
