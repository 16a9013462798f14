import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints } from '../core.js';
import type { KubeObject } from '../objects.js';
import { endpointsPrinter } from './endpoints.js';
import { render } from './_render.test-helper.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString().replace('.000Z', 'Z');
const DAY = 86400;

function ep(name: string, age: number, subsets: Endpoints['subsets']): KubeObject {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: 'default', creationTimestamp: ago(age) }, subsets } as unknown as KubeObject;
}

test('kubectl get endpoints prints the §5.3 sample', () => {
  const rows = [
    ep('kubernetes', 12 * DAY, [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }]),
    ep('web', 180, [{ addresses: [{ ip: '10.244.1.5' }, { ip: '10.244.2.7' }], ports: [{ port: 8080, protocol: 'TCP' }] }]),
    // The reference sample shows "1m" here, which HumanDuration cannot print (it says 60s..119s
    // below two minutes); the row uses 2m instead.
    ep('big', 120, [{ addresses: ['10.244.1.2', '10.244.1.3', '10.244.2.4', '10.244.2.5', '10.244.3.6'].map((ip) => ({ ip })), ports: [{ port: 80, protocol: 'TCP' }] }]),
    ep('nopods', 5, undefined),
  ];
  assert.equal(
    render(endpointsPrinter, rows, now),
    [
      'NAME         ENDPOINTS                                               AGE',
      'kubernetes   172.18.0.2:6443                                         12d',
      'web          10.244.1.5:8080,10.244.2.7:8080                         3m',
      'big          10.244.1.2:80,10.244.1.3:80,10.244.2.4:80 + 2 more...   2m',
      'nopods       <none>                                                  5s',
    ].join('\n'),
  );
});

test('ENDPOINTS shows only ready addresses: bare IPs without ports, brackets for IPv6, empty when none is ready', () => {
  const cell = (subsets: Endpoints['subsets']) => endpointsPrinter.cells(ep('x', 1, subsets), now)[1];
  assert.equal(cell([{ addresses: [{ ip: '10.0.0.1' }] }]), '10.0.0.1');
  assert.equal(cell([{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }]), '[fd00::1]:80');
  assert.equal(cell([{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }]), '');
  assert.equal(cell([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }]), '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...');
});
