import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service } from '../../api/core.js';
import { defaultService } from '../../api/service/index.js';
import { failure, FakeRegistry, must, service } from './_testing.js';
import { seededRandom } from './range.js';
import {
  allocateCreate,
  allocateUpdate,
  defaultServiceOnRead,
  newServiceAllocators,
  normalizeClusterIPs,
  patchAllocatedValues,
  type ServiceAllocators,
  type ServiceAllocatorsOptions,
} from './serviceAllocation.js';

function setup(opts: ServiceAllocatorsOptions = {}) {
  const allocators = newServiceAllocators({ random: seededRandom(1), ...opts });
  return { allocators, reg: new FakeRegistry(allocators) };
}

const usage = (al: ServiceAllocators) => ({ ips: al.clusterIPs.used(), ports: al.nodePorts.used() });
const ipNumber = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);

describe('allocateCreate', () => {
  it('gives a ClusterIP Service a dynamic IP above the static band and the single-stack family fields', () => {
    const { reg, allocators } = setup();
    const s = must(reg.create(service('web', { ports: [{ port: 80 }] })));
    assert.ok(ipNumber(s.spec.clusterIP!) >= ipNumber('127.96.1.1'), s.spec.clusterIP);
    assert.deepEqual(s.spec, {
      clusterIP: s.spec.clusterIP,
      clusterIPs: [s.spec.clusterIP],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      selector: { app: 'web' },
      sessionAffinity: 'None',
      type: 'ClusterIP',
    });
    assert.deepEqual(s.status, { loadBalancer: {} });
    assert.equal(allocators.clusterIPs.has(s.spec.clusterIP!), true);
  });

  it('(50a) returns a free in-range clusterIP verbatim, then refuses it to a second Service and refuses out-of-range IPs', () => {
    const { reg, allocators } = setup();
    const a = must(reg.create(service('a', { clusterIP: '127.96.123.123' })));
    assert.equal(a.spec.clusterIP, '127.96.123.123');
    assert.deepEqual(a.spec.clusterIPs, ['127.96.123.123']);
    const before = usage(allocators);
    const dup = failure(reg.create(service('b', { clusterIP: '127.96.123.123' })));
    assert.equal(dup.code, 422);
    assert.equal(
      dup.message,
      'Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"127.96.123.123"}: failed to allocate IP 127.96.123.123: provided IP is already allocated',
    );
    const out = failure(reg.create(service('c', { clusterIP: '10.0.0.5' })));
    assert.equal(
      out.message,
      'Service "c" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 127.96.0.0/12',
    );
    assert.deepEqual(usage(allocators), before, 'failed creates hold nothing');
  });

  it('reproduces example D of the reference on a 10.96.0.0/12 cluster', () => {
    const { reg } = setup({ serviceCIDR: '10.96.0.0/12' });
    must(reg.create(service('kube-dns', { clusterIP: '10.96.0.10' }, 'kube-system')));
    const r = failure(reg.create(service('other', { clusterIP: '10.96.0.10' })));
    assert.equal(r.message, 'Service "other" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated');
  });

  it('(50c) an explicit IP is free again once its Service is deleted', () => {
    const { reg } = setup();
    must(reg.create(service('a', { clusterIP: '127.96.0.50' })));
    must(reg.delete('a'));
    assert.equal(must(reg.create(service('b', { clusterIP: '127.96.0.50' }))).spec.clusterIP, '127.96.0.50');
  });

  it('(50d) ClientIP affinity answers with timeoutSeconds 10800; 0 is refused and releases the IP it had', () => {
    const { reg, allocators } = setup();
    assert.deepEqual(must(reg.create(service('a', { sessionAffinity: 'ClientIP' }))).spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
    const before = usage(allocators);
    const r = failure(reg.create(service('b', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } })));
    assert.equal(r.message, 'Service "b" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400');
    assert.equal(failure(reg.create(service('c', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86401 } } }))).code, 422);
    assert.deepEqual(usage(allocators), before);
  });

  it('(50e) two unnamed ports: 422 naming both, nothing held', () => {
    const { reg, allocators } = setup();
    const r = failure(reg.create(service('web', { type: 'NodePort', ports: [{ port: 80 }, { port: 81 }] })));
    assert.equal(r.message, 'Service "web" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]');
    assert.deepEqual(usage(allocators), { ips: 0, ports: 0 });
  });

  it('(50f) clusterIP None with type NodePort is refused and its nodePort given back', () => {
    const { reg, allocators } = setup();
    const r = failure(reg.create(service('web', { type: 'NodePort', clusterIP: 'None' })));
    assert.equal(r.message, 'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services');
    assert.deepEqual(usage(allocators), { ips: 0, ports: 0 });
  });

  it('(50g) names 1svc and My_Svc are refused as DNS-1035 labels', () => {
    const { reg } = setup();
    for (const name of ['1svc', 'My_Svc']) {
      const r = failure(reg.create(service(name)));
      assert.equal(r.code, 422);
      assert.match(r.message, new RegExp(`^Service "${name}" is invalid: metadata\\.name: Invalid value: "${name}": a DNS-1035 label must consist of`));
    }
  });

  it('(50h) an omitted targetPort equals port and an omitted protocol is TCP', () => {
    const { reg } = setup();
    assert.deepEqual(must(reg.create(service('web', { ports: [{ port: 8080 }] }))).spec.ports, [{ port: 8080, protocol: 'TCP', targetPort: 8080 }]);
  });

  it('(50i) NodePort TCP 80 and UDP 80 on create share one nodePort', () => {
    const { reg, allocators } = setup();
    const s = must(reg.create(service('dns', { type: 'NodePort', ports: [{ name: 'tcp', port: 80 }, { name: 'udp', port: 80, protocol: 'UDP' }] })));
    const [tcp, udp] = s.spec.ports!;
    assert.ok(tcp!.nodePort! >= 30086, 'dynamic nodePorts come from the upper band');
    assert.equal(udp!.nodePort, tcp!.nodePort);
    assert.equal(allocators.nodePorts.used(), 1);
  });

  it('a nodePort requested on either twin is used for both', () => {
    const { reg } = setup();
    const s = must(reg.create(service('dns', { type: 'NodePort', ports: [{ name: 'tcp', port: 53 }, { name: 'udp', port: 53, protocol: 'UDP', nodePort: 30053 }] })));
    assert.deepEqual(s.spec.ports!.map((p) => p.nodePort), [30053, 30053]);
  });

  it('(18) prevents NodePort collisions until the holder is deleted', () => {
    const { reg } = setup();
    const p = must(reg.create(service('nodeport-collision-1', { type: 'NodePort' }))).spec.ports![0]!.nodePort!;
    const r = failure(reg.create(service('nodeport-collision-2', { type: 'NodePort', ports: [{ port: 80, nodePort: p }] })));
    assert.equal(r.message, `Service "nodeport-collision-2" is invalid: spec.ports[0].nodePort: Invalid value: ${p}: provided port is already allocated`);
    assert.match(r.message, new RegExp(`${p}.*port is already allocated`));
    must(reg.delete('nodeport-collision-1'));
    assert.equal(must(reg.create(service('nodeport-collision-2', { type: 'NodePort', ports: [{ port: 80, nodePort: p }] }))).spec.ports![0]!.nodePort, p);
  });

  it('(19) a nodePort outside 30000-32767 is refused on create and on update', () => {
    const { reg, allocators } = setup();
    const created = failure(reg.create(service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 40000 }] })));
    assert.equal(created.message, 'Service "a" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767');
    const b = must(reg.create(service('b', { type: 'NodePort' })));
    const held = b.spec.ports![0]!.nodePort!;
    const moved = structuredClone(b);
    moved.spec.ports![0]!.nodePort = 40000;
    const updated = failure(reg.update(moved));
    assert.match(updated.message, /40000.*port is not in the valid range/);
    assert.equal(allocators.nodePorts.has(held), true, 'the failed update keeps the old nodePort');
    assert.equal(reg.get('b')!.spec.ports![0]!.nodePort, held);
  });

  it('(20) a deleted NodePort Service gives its port back for an explicit request', () => {
    const { reg } = setup();
    const p = must(reg.create(service('a', { type: 'NodePort' }))).spec.ports![0]!.nodePort!;
    must(reg.delete('a'));
    assert.equal(must(reg.create(service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: p }] }))).spec.ports![0]!.nodePort, p);
  });

  it('an exhausted service CIDR answers 500 "failed to allocate a serviceIP: range is full"', () => {
    const { reg, allocators } = setup({ serviceCIDR: '10.0.0.0/28' });
    for (let i = 0; i < 14; i++) must(reg.create(service(`s${i}`)));
    const r = allocateCreate(defaultService(service('one-too-many')), allocators);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.status.status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Internal error occurred: failed to allocate a serviceIP: range is full',
      reason: 'InternalError',
      details: { causes: [{ message: 'failed to allocate a serviceIP: range is full' }] },
      code: 500,
    });
  });

  it('an exhausted NodePort range answers 500 and gives back the IP it took', () => {
    const { reg, allocators } = setup({ nodePortRange: '30000-30001' });
    must(reg.create(service('a', { type: 'NodePort' })));
    must(reg.create(service('b', { type: 'NodePort' })));
    const before = usage(allocators);
    const r = failure(reg.create(service('c', { type: 'NodePort' })));
    assert.equal(r.code, 500);
    assert.equal(r.message, 'Internal error occurred: failed to allocate a nodePort: range is full');
    assert.deepEqual(usage(allocators), before);
  });

  it('a LoadBalancer with externalTrafficPolicy Local gets a healthCheckNodePort from the same pool', () => {
    const { reg, allocators } = setup();
    const s = must(reg.create(service('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' })));
    assert.ok(s.spec.healthCheckNodePort! >= 30000);
    assert.notEqual(s.spec.healthCheckNodePort, s.spec.ports![0]!.nodePort);
    assert.equal(s.spec.allocateLoadBalancerNodePorts, true);
    assert.equal(allocators.nodePorts.used(), 2);
  });

  it('a requested healthCheckNodePort that is taken answers 500, as upstream', () => {
    const { reg } = setup();
    must(reg.create(service('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })));
    const r = failure(reg.create(service('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 30080 })));
    assert.equal(r.code, 500);
    assert.equal(r.message, 'Internal error occurred: failed to allocate requested HealthCheck NodePort 30080: provided port is already allocated');
  });

  it('allocateLoadBalancerNodePorts false allocates only requested nodePorts', () => {
    const { reg, allocators } = setup();
    const s = must(reg.create(service('lb', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81, nodePort: 30081 }] })));
    assert.deepEqual(s.spec.ports!.map((p) => p.nodePort), [undefined, 30081]);
    assert.equal(allocators.nodePorts.used(), 1);
  });

  it('answers IPv6 requests with the not-configured errors of a single-stack cluster', () => {
    const { reg, allocators } = setup();
    assert.equal(
      failure(reg.create(service('a', { clusterIP: 'fd00::10' }))).message,
      'Service "a" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::10"}: IPv6 is not configured on this cluster',
    );
    assert.equal(failure(reg.create(service('b', { ipFamilies: ['IPv6'] }))).message, 'Service "b" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster');
    assert.equal(
      failure(reg.create(service('c', { ipFamilyPolicy: 'RequireDualStack' }))).message,
      'Service "c" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    );
    const d = must(reg.create(service('d', { ipFamilyPolicy: 'PreferDualStack' })));
    assert.deepEqual([d.spec.ipFamilies, d.spec.clusterIPs?.length], [['IPv4'], 1]);
    assert.equal(allocators.clusterIPs.used(), 1);
  });

  it('headless Services get no IP; without a selector they are RequireDualStack over both families', () => {
    const { reg, allocators } = setup();
    const plain = must(reg.create(service('h', { clusterIP: 'None', ports: [] })));
    assert.deepEqual([plain.spec.clusterIPs, plain.spec.ipFamilies, plain.spec.ipFamilyPolicy], [['None'], ['IPv4'], 'SingleStack']);
    const bare = service('h2', { clusterIP: 'None' });
    delete bare.spec.selector;
    const s = must(reg.create(bare));
    assert.deepEqual([s.spec.ipFamilies, s.spec.ipFamilyPolicy], [['IPv4', 'IPv6'], 'RequireDualStack']);
    assert.equal(allocators.clusterIPs.used(), 0);
  });

  it('ExternalName gets no IP and no family fields', () => {
    const { reg, allocators } = setup();
    const s = must(reg.create(service('ext', { type: 'ExternalName', externalName: 'foo.example.com', ports: [] })));
    assert.deepEqual([s.spec.clusterIP, s.spec.ipFamilies, s.spec.ipFamilyPolicy], [undefined, undefined, undefined]);
    assert.equal(allocators.clusterIPs.used(), 0);
  });

  it('a dry run (allocate, then revert) returns real values and holds nothing', () => {
    const { reg, allocators } = setup();
    const s = must(reg.create(service('web', { type: 'NodePort' }), { dryRun: true }));
    assert.ok(s.spec.clusterIP && s.spec.ports![0]!.nodePort);
    assert.deepEqual(usage(allocators), { ips: 0, ports: 0 });
    assert.equal(reg.get('web'), undefined);
  });

  it('does not modify its argument', () => {
    const { allocators } = setup();
    const input = defaultService(service('web', { type: 'NodePort' }));
    const copy = structuredClone(input);
    const r = allocateCreate(input, allocators);
    assert.ok(r.ok);
    assert.deepEqual(input, copy);
  });
});

describe('allocateUpdate', () => {
  it('(50b) a PUT omitting clusterIP keeps the IP; a PUT changing it is refused', () => {
    const { reg } = setup();
    const s = must(reg.create(service('web')));
    const omitted = service('web');
    assert.equal(must(reg.update(omitted)).spec.clusterIP, s.spec.clusterIP);
    assert.equal(must(reg.update(service('web', { clusterIP: '', clusterIPs: [] }))).spec.clusterIP, s.spec.clusterIP);
    const r = failure(reg.update(service('web', { clusterIP: '127.96.5.5' })));
    assert.equal(r.message, 'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"127.96.5.5"}: may not change once set');
  });

  it('re-applying the original manifest patches back nodePorts (by port name) and healthCheckNodePort', () => {
    const { reg, allocators } = setup();
    const manifest = service('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] });
    const s = must(reg.create(manifest));
    const before = usage(allocators);
    const again = must(reg.update(manifest));
    assert.deepEqual(again.spec.ports!.map((p) => p.nodePort), s.spec.ports!.map((p) => p.nodePort));
    assert.equal(again.spec.healthCheckNodePort, s.spec.healthCheckNodePort);
    assert.deepEqual(usage(allocators), before);
    // Reordered ports keep their nodePorts by name.
    const reordered = service('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ name: 'https', port: 443 }, { name: 'http', port: 80 }] });
    assert.deepEqual(must(reg.update(reordered)).spec.ports!.map((p) => p.nodePort), [s.spec.ports![1]!.nodePort, s.spec.ports![0]!.nodePort]);
  });

  it('(13) ClusterIP → NodePort, then adding UDP 80 beside TCP 80 gives the new port its own nodePort', () => {
    const { reg, allocators } = setup();
    must(reg.create(service('web', { ports: [{ name: 'tcp', port: 80 }] })));
    const np = must(reg.update(service('web', { type: 'NodePort', ports: [{ name: 'tcp', port: 80 }] })));
    const tcpPort = np.spec.ports![0]!.nodePort!;
    assert.ok(tcpPort > 0);
    const both = must(reg.update(service('web', { type: 'NodePort', ports: [{ name: 'tcp', port: 80 }, { name: 'udp', port: 80, protocol: 'UDP' }] })));
    const [tcp, udp] = both.spec.ports!;
    assert.equal(tcp!.nodePort, tcpPort);
    assert.ok(udp!.nodePort! > 0 && udp!.nodePort !== tcpPort);
    assert.equal(allocators.nodePorts.used(), 2);
  });

  it('removing a port releases its nodePort', () => {
    const { reg, allocators } = setup();
    const s = must(reg.create(service('web', { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] })));
    must(reg.update(service('web', { type: 'NodePort', ports: [{ name: 'a', port: 80 }] })));
    assert.equal(allocators.nodePorts.has(s.spec.ports![1]!.nodePort!), false);
    assert.equal(allocators.nodePorts.has(s.spec.ports![0]!.nodePort!), true);
  });

  it('(16) ClusterIP → ExternalName answers clusterIP "" and frees the IP only once committed', () => {
    const { reg, allocators } = setup();
    const s = must(reg.create(service('web')));
    const ip = s.spec.clusterIP!;
    const next = structuredClone(s);
    next.spec.type = 'ExternalName';
    next.spec.externalName = 'externalsvc.default.svc.cluster.local';
    const r = allocateUpdate({ next: defaultService(next), prev: s }, allocators);
    assert.ok(r.ok);
    assert.equal(r.service.spec.clusterIP ?? '', '');
    assert.equal(r.service.spec.clusterIPs, undefined);
    assert.equal(allocators.clusterIPs.has(ip), true, 'still held before commit');
    r.revert();
    assert.equal(allocators.clusterIPs.has(ip), true, 'a reverted update keeps it');
    const done = must(reg.update(next));
    assert.equal(done.spec.clusterIP ?? '', '');
    assert.equal(done.spec.ipFamilies, undefined);
    assert.equal(allocators.clusterIPs.has(ip), false);
  });

  it('(17) NodePort → ExternalName clears the clusterIP and releases the nodePort', () => {
    const { reg, allocators } = setup();
    const s = must(reg.create(service('web', { type: 'NodePort' })));
    const next = structuredClone(s);
    next.spec.type = 'ExternalName';
    next.spec.externalName = 'externalsvc.default.svc.cluster.local';
    const done = must(reg.update(next));
    assert.equal(done.spec.clusterIP ?? '', '');
    assert.equal(done.spec.ports![0]!.nodePort, undefined);
    assert.equal(done.spec.externalTrafficPolicy, undefined);
    assert.deepEqual(usage(allocators), { ips: 0, ports: 0 });
  });

  it('(14, 15) ExternalName → ClusterIP and → NodePort allocate a clusterIP (and a nodePort)', () => {
    const { reg, allocators } = setup();
    must(reg.create(service('a', { type: 'ExternalName', externalName: 'foo.example.com' })));
    must(reg.create(service('b', { type: 'ExternalName', externalName: 'foo.example.com' })));
    const a = must(reg.update(service('a', { type: 'ClusterIP', externalName: '', ports: [{ port: 80, targetPort: 9376 }] })));
    assert.ok(a.spec.clusterIP && allocators.clusterIPs.has(a.spec.clusterIP));
    assert.deepEqual([a.spec.ipFamilies, a.spec.ipFamilyPolicy], [['IPv4'], 'SingleStack']);
    const b = must(reg.update(service('b', { type: 'NodePort', ports: [{ port: 80, targetPort: 9376 }] })));
    assert.ok(b.spec.clusterIP && b.spec.ports![0]!.nodePort);
    assert.deepEqual(usage(allocators), { ips: 2, ports: 1 });
  });

  it('ExternalName → ClusterIP with a taken IP is refused and holds nothing new', () => {
    const { reg, allocators } = setup();
    must(reg.create(service('x', { clusterIP: '127.96.0.20' })));
    must(reg.create(service('a', { type: 'ExternalName', externalName: 'foo.example.com' })));
    const r = failure(reg.update(service('a', { clusterIP: '127.96.0.20' })));
    assert.equal(r.message, 'Service "a" is invalid: spec.clusterIPs: Invalid value: []string{"127.96.0.20"}: failed to allocate IP 127.96.0.20: provided IP is already allocated');
    assert.deepEqual(usage(allocators), { ips: 1, ports: 0 });
  });

  it('NodePort → ClusterIP releases nodePorts and drops externalTrafficPolicy', () => {
    const { reg, allocators } = setup();
    const s = must(reg.create(service('web', { type: 'NodePort' })));
    const next = structuredClone(s);
    next.spec.type = 'ClusterIP';
    const done = must(reg.update(next));
    assert.equal(done.spec.ports![0]!.nodePort, undefined);
    assert.equal(done.spec.externalTrafficPolicy, undefined);
    assert.equal(done.spec.clusterIP, s.spec.clusterIP);
    assert.equal(allocators.nodePorts.used(), 0);
  });

  it('LoadBalancer Local ↔ Cluster allocates and releases the healthCheckNodePort', () => {
    const { reg, allocators } = setup();
    must(reg.create(service('lb', { type: 'LoadBalancer' })));
    const local = must(reg.update(service('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' })));
    const hc = local.spec.healthCheckNodePort!;
    assert.ok(allocators.nodePorts.has(hc));
    const cluster = structuredClone(local);
    cluster.spec.externalTrafficPolicy = 'Cluster';
    delete cluster.spec.healthCheckNodePort;
    must(reg.update(cluster));
    assert.equal(allocators.nodePorts.has(hc), false);
    assert.equal(allocators.nodePorts.used(), 1);
  });

  it('revert gives back new allocations and performs no deferred release; commit after revert does nothing', () => {
    const { reg, allocators } = setup();
    const s = must(reg.create(service('web', { type: 'NodePort', ports: [{ name: 'a', port: 80 }] })));
    const old = s.spec.ports![0]!.nodePort!;
    const next = defaultService(service('web', { type: 'NodePort', ports: [{ name: 'b', port: 81 }] }));
    const r = allocateUpdate({ next, prev: s }, allocators);
    assert.ok(r.ok);
    const fresh = r.service.spec.ports![0]!.nodePort!;
    assert.notEqual(fresh, old);
    assert.equal(allocators.nodePorts.has(fresh), true);
    r.revert();
    r.commit();
    assert.equal(allocators.nodePorts.has(fresh), false);
    assert.equal(allocators.nodePorts.has(old), true);
  });

  it('two ports claiming one new nodePort and protocol fail as upstream: 500 without a reason', () => {
    const { reg } = setup();
    must(reg.create(service('web', { type: 'NodePort', ports: [{ name: 'a', port: 80 }] })));
    const r = reg.update(service('web', { type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30090 }, { name: 'b', port: 81, nodePort: 30090 }] }));
    const f = failure(r);
    assert.deepEqual([f.code, f.reason, f.message], [500, undefined, 'duplicate nodePort: {TCP 30090}']);
  });
});

describe('normalizeClusterIPs, patchAllocatedValues, defaultServiceOnRead', () => {
  const base = (spec: Service['spec']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec });

  it('on create, a lone clusterIP fills clusterIPs', () => {
    assert.deepEqual(normalizeClusterIPs(base({ clusterIP: '127.96.0.9' })).spec.clusterIPs, ['127.96.0.9']);
  });

  it('on update, clearing clusterIP with unchanged clusterIPs clears both; changing it rewrites clusterIPs', () => {
    const prev = base({ clusterIP: '127.96.0.9', clusterIPs: ['127.96.0.9'] });
    assert.equal(normalizeClusterIPs(base({ clusterIP: '', clusterIPs: ['127.96.0.9'] }), prev).spec.clusterIPs, undefined);
    assert.deepEqual(normalizeClusterIPs(base({ clusterIP: '127.96.0.7', clusterIPs: ['127.96.0.9'] }), prev).spec.clusterIPs, ['127.96.0.7']);
    assert.deepEqual(normalizeClusterIPs(base({ clusterIP: '127.96.0.9' }), prev).spec.clusterIPs, ['127.96.0.9']);
  });

  it('patches a zero nodePort only with an old value no other port still uses', () => {
    const prev = base({ type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30001 }, { name: 'b', port: 81, nodePort: 30002 }] });
    const next = base({ type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'c', port: 82, nodePort: 30001 }] });
    assert.deepEqual(patchAllocatedValues(next, prev).spec.ports!.map((p) => p.nodePort), [undefined, 30001]);
  });

  it('does not patch across a type change to ExternalName', () => {
    const prev = base({ type: 'ClusterIP', clusterIP: '127.96.0.9', clusterIPs: ['127.96.0.9'] });
    assert.equal(patchAllocatedValues(base({ type: 'ExternalName' }), prev).spec.clusterIP, undefined);
  });

  it('reads old objects with the family fields they predate, and hides internalTrafficPolicy on ExternalName', () => {
    const old = defaultServiceOnRead(base({ type: 'ClusterIP', clusterIP: '127.96.0.9' }));
    assert.deepEqual([old.spec.clusterIPs, old.spec.ipFamilies, old.spec.ipFamilyPolicy], [['127.96.0.9'], ['IPv4'], 'SingleStack']);
    assert.equal(defaultServiceOnRead(base({ type: 'ExternalName', internalTrafficPolicy: 'Cluster' })).spec.internalTrafficPolicy, undefined);
  });
});
