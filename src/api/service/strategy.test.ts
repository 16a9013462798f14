import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service, ServiceSpec } from '../core.js';
import { defaultService } from './defaults.js';
import { dropTypeDependentFields, prepareForCreate, prepareForUpdate } from './strategy.js';

const svc = (spec: Partial<ServiceSpec>): Service =>
  defaultService({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }], ...spec } });

const allocated = { clusterIP: '127.96.0.11', clusterIPs: ['127.96.0.11'], ipFamilies: ['IPv4' as const], ipFamilyPolicy: 'SingleStack' as const };

describe('prepareForCreate', () => {
  it('discards client-set status and starts with an empty load balancer', () => {
    const s = svc({});
    s.status = { loadBalancer: { ingress: [{ ip: '203.0.113.1' }] } };
    assert.deepEqual(prepareForCreate(s).status, { loadBalancer: {} });
  });
});

describe('prepareForUpdate', () => {
  it('keeps the stored status, clearing the load balancer once the type is not LoadBalancer', () => {
    const prev = svc({ type: 'LoadBalancer' });
    prev.status = { loadBalancer: { ingress: [{ ip: '203.0.113.1', ipMode: 'VIP' }] } };
    const next = svc({ type: 'LoadBalancer' });
    next.status = { loadBalancer: { ingress: [{ ip: '198.51.100.9' }] } };
    assert.deepEqual(prepareForUpdate(next, prev).status, prev.status);
    assert.deepEqual(prepareForUpdate(svc({ type: 'ClusterIP' }), prev).status, { loadBalancer: {} });
  });
});

describe('dropTypeDependentFields', () => {
  it('ClusterIP → ExternalName wipes unchanged clusterIP(s), ipFamilies and ipFamilyPolicy', () => {
    const prev = svc(allocated);
    const next = svc({ ...allocated, type: 'ExternalName', externalName: 'a.example.com' });
    const out = dropTypeDependentFields(next, prev);
    for (const f of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy'] as const) assert.equal(f in out.spec, false, f);
  });

  it('keeps a clusterIP the client changed in the same update, for validation to reject', () => {
    const prev = svc(allocated);
    const next = svc({ ...allocated, clusterIP: '127.96.0.12', clusterIPs: ['127.96.0.12'], type: 'ExternalName', externalName: 'a.example.com' });
    assert.equal(dropTypeDependentFields(next, prev).spec.clusterIP, '127.96.0.12');
  });

  it('NodePort → ClusterIP wipes unchanged nodePorts and externalTrafficPolicy', () => {
    const prev = svc({ ...allocated, type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
    const next = svc({ ...allocated, type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }, { name: 'b', port: 81 }] });
    next.spec.type = 'ClusterIP';
    const out = dropTypeDependentFields(next, prev);
    assert.deepEqual(out.spec.ports?.map((p) => p.nodePort), [undefined, undefined]);
    assert.equal(out.spec.externalTrafficPolicy, undefined);
  });

  it('keeps nodePorts when a new one appears in the same update', () => {
    const prev = svc({ ...allocated, type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
    const next = svc({ ...allocated, type: 'ClusterIP', ports: [{ port: 80, nodePort: 30081 }] });
    assert.equal(dropTypeDependentFields(next, prev).spec.ports?.[0]?.nodePort, 30081);
  });

  it('LoadBalancer → ClusterIP wipes an unchanged healthCheckNodePort, allocateLoadBalancerNodePorts and loadBalancerClass', () => {
    const prev = svc({ ...allocated, type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 30001, loadBalancerClass: 'a.io/x' });
    const next = structuredClone(prev);
    next.spec.type = 'ClusterIP';
    const out = dropTypeDependentFields(next, prev);
    for (const f of ['healthCheckNodePort', 'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'externalTrafficPolicy'] as const) {
      assert.equal(f in out.spec, false, f);
    }
  });
});
