import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice } from '../discovery.js';
import type { KubeObject } from '../objects.js';
import { endpointSlicePrinter, formatDiscoveryPorts } from './endpointslice.js';
import { render } from './_render.test-helper.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString().replace('.000Z', 'Z');
const DAY = 86400;

function slice(name: string, age: number, ports: EndpointSlice['ports'], endpoints: EndpointSlice['endpoints']): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'default', creationTimestamp: ago(age) },
    addressType: 'IPv4',
    ports,
    endpoints,
  } as unknown as KubeObject;
}

test('kubectl get endpointslices prints the §5.3 sample (every address, ready or not)', () => {
  const rows = [
    slice('kubernetes', 12 * DAY, [{ name: 'https', port: 6443, protocol: 'TCP' }], [{ addresses: ['172.18.0.2'] }]),
    slice('web-7xq9t', 180, [{ name: '', port: 8080, protocol: 'TCP' }], [
      { addresses: ['10.244.1.5'], conditions: { ready: true } },
      { addresses: ['10.244.2.7'], conditions: { ready: false } },
    ]),
    slice('nopods-k2j4w', 5, null, null),
  ];
  assert.equal(
    render(endpointSlicePrinter, rows, now),
    [
      'NAME           ADDRESSTYPE   PORTS     ENDPOINTS               AGE',
      'kubernetes     IPv4          6443      172.18.0.2              12d',
      'web-7xq9t      IPv4          8080      10.244.1.5,10.244.2.7   3m',
      'nopods-k2j4w   IPv4          <unset>   <unset>                 5s',
    ].join('\n'),
  );
});

test('slice PORTS: a nil port prints its name, neither prints "*", more than three say how many more', () => {
  assert.equal(formatDiscoveryPorts([{ name: 'http' }, { protocol: 'TCP' }]), 'http,*');
  assert.equal(formatDiscoveryPorts([1, 2, 3, 4, 5].map((port) => ({ port }))), '1,2,3 + 2 more...');
});
