import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service, ServiceSpec } from '../core.js';
import { defaultService } from './defaults.js';

const svc = (spec: ServiceSpec): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec });

describe('defaultService', () => {
  it('defaults type to ClusterIP, sessionAffinity to None and internalTrafficPolicy to Cluster', () => {
    const out = defaultService(svc({ ports: [{ port: 80 }] }));
    assert.equal(out.spec.type, 'ClusterIP');
    assert.equal(out.spec.sessionAffinity, 'None');
    assert.equal(out.spec.internalTrafficPolicy, 'Cluster');
    assert.equal(out.spec.externalTrafficPolicy, undefined);
    assert.equal(out.spec.allocateLoadBalancerNodePorts, undefined);
  });

  it('(50h) an omitted protocol becomes TCP and an omitted targetPort equals port', () => {
    const out = defaultService(svc({ ports: [{ port: 80 }, { port: 53, protocol: 'UDP', targetPort: '' }, { port: 81, targetPort: 0 }] }));
    assert.deepEqual(out.spec.ports, [
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { port: 53, protocol: 'UDP', targetPort: 53 },
      { port: 81, protocol: 'TCP', targetPort: 81 },
    ]);
  });

  it('keeps an explicit named or numbered targetPort', () => {
    const out = defaultService(svc({ ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8080 }] }));
    assert.equal(out.spec.ports?.[0]?.targetPort, 'http');
    assert.equal(out.spec.ports?.[1]?.targetPort, 8080);
  });

  it('(50d) ClientIP affinity without config gets timeoutSeconds 10800', () => {
    const out = defaultService(svc({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP' }));
    assert.deepEqual(out.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  });

  it('ClientIP affinity keeps an explicit timeout, even an invalid one for validation to reject', () => {
    assert.deepEqual(
      defaultService(svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })).spec.sessionAffinityConfig,
      { clientIP: { timeoutSeconds: 60 } },
    );
    assert.deepEqual(
      defaultService(svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } })).spec.sessionAffinityConfig,
      { clientIP: { timeoutSeconds: 0 } },
    );
  });

  it('session affinity None drops any sessionAffinityConfig', () => {
    const out = defaultService(svc({ sessionAffinity: 'None', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }));
    assert.equal('sessionAffinityConfig' in out.spec, false);
  });

  it('externalTrafficPolicy defaults to Cluster only for externally accessible Services', () => {
    assert.equal(defaultService(svc({ type: 'NodePort' })).spec.externalTrafficPolicy, 'Cluster');
    assert.equal(defaultService(svc({ type: 'LoadBalancer' })).spec.externalTrafficPolicy, 'Cluster');
    assert.equal(defaultService(svc({ type: 'ClusterIP', externalIPs: ['203.0.113.250'] })).spec.externalTrafficPolicy, 'Cluster');
    assert.equal(defaultService(svc({ type: 'ClusterIP' })).spec.externalTrafficPolicy, undefined);
    assert.equal(defaultService(svc({ type: 'ExternalName', externalName: 'a.b' })).spec.externalTrafficPolicy, undefined);
    assert.equal(defaultService(svc({ type: 'NodePort', externalTrafficPolicy: 'Local' })).spec.externalTrafficPolicy, 'Local');
  });

  it('ExternalName gets no internalTrafficPolicy', () => {
    assert.equal(defaultService(svc({ type: 'ExternalName', externalName: 'a.b' })).spec.internalTrafficPolicy, undefined);
  });

  it('LoadBalancer gets allocateLoadBalancerNodePorts true unless set, and ingress IPs get ipMode VIP', () => {
    const lb = svc({ type: 'LoadBalancer' });
    lb.status = { loadBalancer: { ingress: [{ ip: '203.0.113.1' }, { hostname: 'lb.example.com' }] } };
    const out = defaultService(lb);
    assert.equal(out.spec.allocateLoadBalancerNodePorts, true);
    assert.deepEqual(out.status?.loadBalancer?.ingress, [{ ip: '203.0.113.1', ipMode: 'VIP' }, { hostname: 'lb.example.com' }]);
    assert.equal(defaultService(svc({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false })).spec.allocateLoadBalancerNodePorts, false);
  });

  it('does not modify its argument and is idempotent', () => {
    const input = svc({ ports: [{ port: 80 }], sessionAffinity: 'ClientIP' });
    const snapshot = structuredClone(input);
    const once = defaultService(input);
    assert.deepEqual(input, snapshot);
    assert.deepEqual(defaultService(once), once);
  });
});
