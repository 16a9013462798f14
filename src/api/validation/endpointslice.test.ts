import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice } from '../discovery.js';
import { errorString, type FieldError } from '../field.js';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './endpointslice.js';

const msgs = (errs: FieldError[]) => errs.map(errorString);
const meta = (name: string) => ({ name, namespace: 'default' });

test('endpoint slices validate addresses by addressType and keep addressType immutable', () => {
  const slice = (addressType: EndpointSlice['addressType'], address: string): EndpointSlice => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { ...meta('web-abcde'), resourceVersion: '1' },
    addressType,
    endpoints: [{ addresses: [address], conditions: { ready: true } }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  });
  assert.deepEqual(validateEndpointSlice(slice('IPv4', '10.244.1.5')), []);
  assert.deepEqual(msgs(validateEndpointSlice(slice('IPv4', 'fd00::1'))), ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address']);
  assert.deepEqual(msgs(validateEndpointSlice(slice('IP' as never, '10.0.0.1'))), ['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"']);
  assert.deepEqual(msgs(validateEndpointSlice({ ...slice('IPv4', '10.0.0.1'), endpoints: [{ addresses: [] }] })), ['endpoints[0].addresses: Required value: must contain at least 1 address']);
  assert.deepEqual(msgs(validateEndpointSliceUpdate(slice('IPv6', 'fd00::1'), slice('IPv4', '10.0.0.1'))), ['addressType: Invalid value: "IPv6": field is immutable']);
  assert.deepEqual(validateEndpointSlice({ ...slice('IPv4', '10.0.0.1'), endpoints: null, ports: null }), [], 'a placeholder slice is valid');
});
