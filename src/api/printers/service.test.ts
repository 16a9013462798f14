import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from '../core.js';
import type { KubeObject } from '../objects.js';
import { servicePrinter } from './service.js';
import { render } from './_render.test-helper.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString().replace('.000Z', 'Z');
const DAY = 86400;

function svc(name: string, age: number, spec: Service['spec'], status?: Service['status']): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', creationTimestamp: ago(age) }, spec, status } as unknown as KubeObject;
}

const services = [
  svc('kubernetes', 12 * DAY, { type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ port: 443, protocol: 'TCP' }] }),
  svc('web', 180, { type: 'NodePort', clusterIP: '10.96.200.15', clusterIPs: ['10.96.200.15'], selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }),
  svc('db', 180, { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], selector: { app: 'db' }, ports: [{ port: 5432, protocol: 'TCP' }] }),
  svc('ext', 10, { type: 'ExternalName', externalName: 'example.com' }),
  svc('lb', 20, {
    type: 'LoadBalancer',
    clusterIP: '10.96.14.9',
    clusterIPs: ['10.96.14.9'],
    selector: { app: 'lb' },
    ports: [
      { port: 80, nodePort: 31234, protocol: 'TCP' },
      { port: 443, nodePort: 30443, protocol: 'TCP' },
    ],
  }),
];

test('kubectl get svc prints the §5.3 sample', () => {
  assert.equal(
    render(servicePrinter, services, now),
    [
      'NAME         TYPE           CLUSTER-IP     EXTERNAL-IP   PORT(S)                      AGE',
      'kubernetes   ClusterIP      10.96.0.1      <none>        443/TCP                      12d',
      'web          NodePort       10.96.200.15   <none>        80:30080/TCP                 3m',
      'db           ClusterIP      None           <none>        5432/TCP                     3m',
      'ext          ExternalName   <none>         example.com   <none>                       10s',
      'lb           LoadBalancer   10.96.14.9     <pending>     80:31234/TCP,443:30443/TCP   20s',
    ].join('\n'),
  );
});

test('kubectl get svc -o wide prints the §5.3 sample', () => {
  assert.equal(
    render(servicePrinter, services.slice(0, 2), now, { wide: true }),
    [
      'NAME         TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)        AGE   SELECTOR',
      'kubernetes   ClusterIP   10.96.0.1      <none>        443/TCP        12d   <none>',
      'web          NodePort    10.96.200.15   <none>        80:30080/TCP   3m    app=web',
    ].join('\n'),
  );
});

test('EXTERNAL-IP for load balancers: sorted, deduplicated ingress, then externalIPs, never clipped by the server', () => {
  const cell = (spec: Partial<Service['spec']>, status?: Service['status']) =>
    servicePrinter.cells(svc('x', 1, { type: 'LoadBalancer', clusterIPs: ['10.96.0.9'], ...spec }, status), now)[3];
  assert.equal(cell({}, { loadBalancer: { ingress: [{ ip: '203.0.113.20' }, { ip: '203.0.113.10' }, { ip: '203.0.113.20' }] } }), '203.0.113.10,203.0.113.20');
  assert.equal(cell({ externalIPs: ['192.0.2.1'] }, { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }] } }), 'lb.example.com,192.0.2.1');
  assert.equal(cell({ externalIPs: ['192.0.2.1'] }), '192.0.2.1');
  assert.equal(
    cell({}, { loadBalancer: { ingress: [{ hostname: 'a-very-long-load-balancer-name.example.com' }] } }),
    'a-very-long-load-balancer-name.example.com',
  );
  assert.equal(servicePrinter.cells(svc('x', 1, { type: 'ClusterIP', clusterIPs: ['10.96.0.9'], externalIPs: ['192.0.2.1', '192.0.2.2'] }), now)[3], '192.0.2.1,192.0.2.2');
});
