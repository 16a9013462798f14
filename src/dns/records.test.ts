import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EndpointSlice, Service } from '../api/index.js';
import { service, slice } from './_fixtures.js';
import { toEndpointSliceRecord, toServiceRecord } from './records.js';

describe('toServiceRecord', () => {
  it('shrinks a ClusterIP Service to name, canonical IPs and lower-cased ports', () => {
    const svc: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { big: 'x'.repeat(1000) } },
      spec: { type: 'NodePort', clusterIP: '127.96.0.20', clusterIPs: ['127.96.0.20', 'FD00::0:20'], selector: { app: 'web' }, ports: [{ name: 'HTTP', port: 80, protocol: 'TCP', nodePort: 30080 }, { port: 53, protocol: 'UDP' }] },
    };
    assert.deepEqual(toServiceRecord(svc), {
      kind: 'ClusterIP',
      namespace: 'default',
      name: 'web',
      clusterIPs: ['127.96.0.20', 'fd00::20'],
      ports: [
        { name: 'http', protocol: 'tcp', port: 80 },
        { name: '', protocol: 'udp', port: 53 },
      ],
      publishNotReadyAddresses: false,
    });
  });

  it('reads clusterIP when clusterIPs is absent, and defaults a missing type and protocol', () => {
    const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'ns' }, spec: { clusterIP: '127.96.0.5', ports: [{ port: 80 }] } };
    const rec = toServiceRecord(svc);
    assert.equal(rec.kind, 'ClusterIP');
    assert.deepEqual(rec.kind === 'ClusterIP' && rec.clusterIPs, ['127.96.0.5']);
    assert.deepEqual(rec.ports, [{ name: '', protocol: 'tcp', port: 80 }]);
  });

  it('marks clusterIP None as headless', () => {
    assert.equal(toServiceRecord(service('default/db', { clusterIP: 'None' })).kind, 'Headless');
    assert.equal(toServiceRecord(service('default/db', { clusterIPs: ['None'] })).kind, 'Headless');
  });

  it('keeps an ExternalName lower-cased without its trailing dot', () => {
    const rec = toServiceRecord(service('default/ext', { externalName: 'Foo.Example.COM.' }));
    assert.deepEqual(rec.kind === 'ExternalName' && rec.externalName, 'foo.example.com');
  });
});

describe('toEndpointSliceRecord', () => {
  it('flattens endpoints to one record per address, ready unless conditions.ready is false', () => {
    const s: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      endpoints: [
        { addresses: ['127.244.0.5'], hostname: 'Pet-0', conditions: { ready: true } },
        { addresses: ['127.244.0.6'] },
        { addresses: ['127.244.0.7'], conditions: { ready: false, serving: true, terminating: true } },
      ],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'bad' }],
    };
    const rec = toEndpointSliceRecord(s);
    assert.equal(rec?.service, 'web');
    assert.deepEqual(
      rec?.endpoints.map((e) => [e.ip, e.hostname, e.ready]),
      [
        ['127.244.0.5', 'pet-0', true],
        ['127.244.0.6', undefined, true],
        ['127.244.0.7', undefined, false],
      ],
    );
    assert.deepEqual(rec?.endpoints[0]?.ports, [{ name: 'http', protocol: 'tcp', port: 8080 }]);
  });

  it('ignores slices without a service-name label and FQDN slices, and accepts null endpoints', () => {
    const s = slice('default/x', { service: 'web', endpoints: ['127.244.0.5'] });
    assert.equal(toEndpointSliceRecord({ ...s, metadata: { name: 'x', namespace: 'default' } }), undefined);
    assert.equal(toEndpointSliceRecord({ ...s, addressType: 'FQDN' }), undefined);
    assert.deepEqual(toEndpointSliceRecord({ ...s, endpoints: null, ports: null })?.endpoints, []);
  });
});
