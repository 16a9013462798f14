import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EndpointSlice, Stored } from '../api/index.js';
import { EndpointsChangeTracker, EndpointsMap } from './endpointschangetracker.js';

const slice = (name: string, svc: string, eps: { ip: string; ready?: boolean; terminating?: boolean; node?: string }[], ports: { name?: string; port: number; protocol?: 'TCP' | 'UDP' }[] = [{ name: 'http', port: 8080 }]): Stored<EndpointSlice> => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace: 'ns', uid: name, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z', labels: { 'kubernetes.io/service-name': svc } },
  addressType: 'IPv4',
  endpoints: eps.map((e) => ({ addresses: [e.ip], nodeName: e.node ?? 'n0', conditions: { ...(e.ready === undefined ? {} : { ready: e.ready }), ...(e.terminating ? { terminating: true } : {}) } })),
  ports,
});

describe('EndpointsChangeTracker', () => {
  it('merges a Service’s slices into endpoints per service port, ready winning over a duplicate', () => {
    const t = new EndpointsChangeTracker();
    t.endpointSliceUpdate(slice('web-1', 'web', [{ ip: '127.244.0.2', ready: false }, { ip: '127.244.0.1' }]), false);
    t.endpointSliceUpdate(slice('web-2', 'web', [{ ip: '127.244.0.2' }, { ip: '127.244.0.3' }]), false);
    const m = new EndpointsMap();
    m.apply(t);
    assert.deepEqual(m.get('ns/web:http/TCP').map((e) => [e.ip, e.port, e.ready]), [
      ['127.244.0.1', 8080, true],
      ['127.244.0.2', 8080, true],
      ['127.244.0.3', 8080, true],
    ]);
  });

  it('applies upstream’s nil rules: ready and serving default to true, terminating to false', () => {
    const t = new EndpointsChangeTracker();
    t.endpointSliceUpdate(slice('s', 'svc', [{ ip: '127.244.0.1' }, { ip: '127.244.0.2', ready: false, terminating: true }]), false);
    const m = new EndpointsMap();
    m.apply(t);
    assert.deepEqual(m.get('ns/svc:http/TCP').map((e) => [e.ready, e.serving, e.terminating]), [
      [true, true, false],
      [false, false, true],
    ]);
  });

  it('reports only Services whose endpoints really changed, with the time of the first change', () => {
    let now = 100;
    const t = new EndpointsChangeTracker(() => now);
    const m = new EndpointsMap();
    t.endpointSliceUpdate(slice('s', 'svc', [{ ip: '127.244.0.1' }]), false);
    now = 200;
    t.endpointSliceUpdate(slice('s', 'svc', [{ ip: '127.244.0.2' }]), false);
    const changes = m.apply(t);
    assert.equal(changes.get('ns/svc')?.since, 100);
    t.endpointSliceUpdate(slice('s', 'svc', [{ ip: '127.244.0.2' }]), false);
    assert.equal(m.apply(t).size, 0, 'a resync of the same slice changes nothing');
  });

  it('drops endpoints of deleted slices and ignores slices without a service-name label', () => {
    const t = new EndpointsChangeTracker();
    const m = new EndpointsMap();
    const s = slice('s', 'svc', [{ ip: '127.244.0.1' }]);
    t.endpointSliceUpdate(s, false);
    m.apply(t);
    t.endpointSliceUpdate(s, true);
    m.apply(t);
    assert.deepEqual(m.get('ns/svc:http/TCP'), []);
    const orphan = { ...s, metadata: { ...s.metadata, labels: {} } };
    assert.equal(t.endpointSliceUpdate(orphan, false), false);
  });

  it('keeps ports of the same name but different protocol apart', () => {
    const t = new EndpointsChangeTracker();
    const m = new EndpointsMap();
    t.endpointSliceUpdate(slice('s', 'dns', [{ ip: '127.244.0.1' }], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]), false);
    m.apply(t);
    assert.equal(m.get('ns/dns:dns/UDP').length, 1);
    assert.equal(m.get('ns/dns:dns-tcp/TCP').length, 1);
    assert.equal(m.get('ns/dns:dns/TCP').length, 0);
  });
});
