import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service, Stored } from '../api/index.js';
import { ServiceChangeTracker, ServicePortMap, servicePortsOf } from './servicechangetracker.js';

let rv = 1;
const svc = (name: string, spec: Partial<Service['spec']>, extra: { labels?: Record<string, string>; status?: Service['status'] } = {}): Stored<Service> => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: String(rv++), creationTimestamp: '2026-01-01T00:00:00Z', ...(extra.labels ? { labels: extra.labels } : {}) },
  spec: { type: 'ClusterIP', clusterIP: '127.96.0.5', ports: [{ port: 80, protocol: 'TCP' }], ...spec },
  ...(extra.status ? { status: extra.status } : {}),
});

describe('servicePortsOf', () => {
  it('makes one entry per port keyed namespace/name:port/PROTOCOL, with defaults filled in', () => {
    const [p, q] = servicePortsOf(svc('web', { ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }], sessionAffinity: 'ClientIP' }));
    assert.equal(p?.id, 'ns/web:http/TCP');
    assert.equal(q?.id, 'ns/web:dns/UDP');
    assert.equal(p?.affinityTimeoutSeconds, 10800);
    assert.equal(p?.internalTrafficPolicy, 'Cluster');
    assert.equal(p?.nodePort, 0);
  });

  it('programs nothing for headless, ExternalName, or Services labelled service-proxy-name or headless', () => {
    assert.deepEqual(servicePortsOf(svc('h', { clusterIP: 'None', clusterIPs: ['None'] })), []);
    assert.deepEqual(servicePortsOf(svc('e', { type: 'ExternalName', externalName: 'x.example', clusterIP: '' })), []);
    assert.deepEqual(servicePortsOf(svc('l', {}, { labels: { 'service.kubernetes.io/service-proxy-name': 'other' } })), []);
    assert.deepEqual(servicePortsOf(svc('m', {}, { labels: { 'service.kubernetes.io/headless': '' } })), []);
  });

  it('takes LoadBalancer IPs from status and the health-check port only for externalTrafficPolicy Local', () => {
    const [p] = servicePortsOf(
      svc('lb', { type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }], externalTrafficPolicy: 'Local', healthCheckNodePort: 31000 }, { status: { loadBalancer: { ingress: [{ ip: '127.250.0.1' }] } } }),
    );
    assert.deepEqual([p?.loadBalancerIPs, p?.nodePort, p?.healthCheckNodePort, p?.externalTrafficPolicy], [['127.250.0.1'], 30080, 31000, 'Local']);
  });
});

describe('ServiceChangeTracker', () => {
  it('coalesces several updates into the first previous and the latest current', () => {
    const t = new ServiceChangeTracker();
    const a = svc('a', { ports: [{ port: 80 }] });
    const b = { ...a, spec: { ...a.spec, ports: [{ port: 81 }] } };
    const c = { ...a, spec: { ...a.spec, ports: [{ port: 82 }] } };
    assert.equal(t.update(a, b), true);
    assert.equal(t.update(b, c), true);
    const m = new ServicePortMap();
    const changed = m.apply(t);
    assert.deepEqual([...changed], ['ns/a']);
    assert.deepEqual([...m.values()].map((p) => p.port), [82]);
    assert.equal(t.pending, 0);
  });

  it('forgets a change that is undone before the sync, and ignores status-only writes', () => {
    const t = new ServiceChangeTracker();
    const a = svc('a', {});
    const b = { ...a, spec: { ...a.spec, ports: [{ port: 81 }] } };
    t.update(a, b);
    assert.equal(t.update(b, { ...a, metadata: { ...a.metadata, resourceVersion: '999' } }), false);
    assert.equal(t.update(a, { ...a, metadata: { ...a.metadata, resourceVersion: '1000' }, status: { conditions: [] } }), false);
  });

  it('applies adds and deletes to the port map', () => {
    const t = new ServiceChangeTracker();
    const m = new ServicePortMap();
    const a = svc('a', {});
    t.update(undefined, a);
    m.apply(t);
    assert.equal(m.size, 1);
    t.update(a, undefined);
    m.apply(t);
    assert.equal(m.size, 0);
  });
});
