import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Service } from '../../api/core.js';
import { failure, FakeRegistry, must, service } from './_testing.js';
import { seededRandom } from './range.js';
import { repairAllocators } from './repair.js';
import { newServiceAllocators, type ServiceAllocators } from './serviceAllocation.js';

const fresh = (seed: number, cidr?: string) => newServiceAllocators({ random: seededRandom(seed), ...(cidr ? { serviceCIDR: cidr } : {}) });

function held(al: ServiceAllocators): { ips: string[]; ports: number[] } {
  const ips: string[] = [];
  const ports: number[] = [];
  al.clusterIPs.forEach((ip) => ips.push(ip));
  al.nodePorts.forEach((p) => ports.push(p));
  return { ips, ports };
}

const stored = (name: string, spec: Service['spec']): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec });

describe('repairAllocators', () => {
  it('rebuilds the state a restart lost, so nothing is handed out twice', () => {
    const before = new FakeRegistry(fresh(1));
    must(before.create(service('a')));
    must(before.create(service('b', { type: 'NodePort' })));
    must(before.create(service('c', { type: 'LoadBalancer', externalTrafficPolicy: 'Local' })));
    must(before.create(service('d', { type: 'NodePort', ports: [{ name: 'tcp', port: 53 }, { name: 'udp', port: 53, protocol: 'UDP' }] })));
    must(before.create(service('e', { type: 'ExternalName', externalName: 'x.example.com' })));
    must(before.create(service('f', { clusterIP: 'None' })));

    // "Restart": new allocators with a different random stream, rebuilt from the store.
    const after = fresh(1);
    const report = repairAllocators([...before.store.values()], after);
    assert.deepEqual(report.problems, []);
    assert.deepEqual(held(after), held(before.allocators));
    assert.deepEqual([report.clusterIPs, report.nodePorts, report.reserved], [4, 4, 0]);

    const reg = new FakeRegistry(after);
    for (const s of before.store.values()) reg.store.set(`default/${s.metadata.name}`, s);
    for (let i = 0; i < 50; i++) must(reg.create(service(`n${i}`, { type: 'NodePort' })));
    const ips = [...reg.store.values()].map((s) => s.spec.clusterIP).filter((ip) => ip && ip !== 'None');
    assert.equal(new Set(ips).size, ips.length, 'no clusterIP twice');
    const ports = [...reg.store.values()].flatMap((s) => [...new Set((s.spec.ports ?? []).map((p) => p.nodePort).filter(Boolean))]);
    assert.equal(new Set(ports).size, ports.length, 'no nodePort twice');
    const taken = before.get('a')!.spec.clusterIP!;
    assert.match(failure(reg.create(service('x', { clusterIP: taken }))).message, /provided IP is already allocated/);
  });

  it('drops allocations no stored Service holds', () => {
    const al = fresh(2);
    al.clusterIPs.allocate('127.96.0.77');
    al.nodePorts.allocate(31000);
    repairAllocators([], al);
    assert.deepEqual(held(al), { ips: [], ports: [] });
  });

  it('reports clashes and out-of-range values, first Service keeping a clashing value', () => {
    const al = fresh(3);
    const report = repairAllocators(
      [
        stored('one', { type: 'NodePort', clusterIP: '127.96.0.5', clusterIPs: ['127.96.0.5'], ports: [{ port: 80, nodePort: 30080 }] }),
        stored('two', { type: 'NodePort', clusterIP: '127.96.0.5', clusterIPs: ['127.96.0.5'], ports: [{ port: 80, nodePort: 30080 }] }),
        stored('three', { type: 'NodePort', clusterIP: '10.0.0.5', clusterIPs: ['10.0.0.5'], ports: [{ port: 80, nodePort: 40000 }] }),
        stored('four', { clusterIP: 'bogus', clusterIPs: ['bogus'] }),
      ],
      al,
    );
    assert.deepEqual(
      report.problems.map((p) => [p.kind, p.service, p.message]),
      [
        ['ClusterIPAlreadyAllocated', 'default/two', 'Cluster IP [IPv4]:127.96.0.5 was assigned to multiple services; please recreate service'],
        ['PortAlreadyAllocated', 'default/two', 'Port 30080 was assigned to multiple services; please recreate service'],
        ['ClusterIPOutOfRange', 'default/three', 'Cluster IP [IPv4]:10.0.0.5 is not within the configured Service CIDR 127.96.0.0/12; please recreate service'],
        ['PortOutOfRange', 'default/three', 'Port 40000 is not within the port range 30000-32767; please recreate service'],
        ['ClusterIPNotValid', 'default/four', 'Cluster IP bogus is not a valid IP; please recreate service'],
      ],
    );
    assert.deepEqual(held(al), { ips: ['127.96.0.5'], ports: [30080] });
  });

  it('reads Services stored before clusterIPs existed', () => {
    const al = fresh(4);
    repairAllocators([stored('old', { clusterIP: '127.96.0.9' })], al);
    assert.equal(al.clusterIPs.has('127.96.0.9'), true);
  });

  describe('reservations', () => {
    const reserve = (al: ServiceAllocators) => [
      { ip: al.clusterIPs.addressAt(1), owner: 'default/kubernetes' },
      { ip: al.clusterIPs.addressAt(10), owner: 'kube-system/kube-dns' },
    ];

    it('hold the kubernetes and kube-dns addresses against dynamic allocation', () => {
      const al = fresh(5, '10.0.0.0/28');
      const report = repairAllocators([], al, { reserve: reserve(al) });
      assert.equal(report.reserved, 2);
      assert.deepEqual(held(al).ips, ['10.0.0.1', '10.0.0.10']);
      const reg = new FakeRegistry(al);
      const got = Array.from({ length: 12 }, (_, i) => must(reg.create(service(`s${i}`))).spec.clusterIP);
      assert.equal(got.includes('10.0.0.1') || got.includes('10.0.0.10'), false);
      assert.equal(failure(reg.create(service('one-more'))).message, 'Internal error occurred: failed to allocate a serviceIP: range is full');
    });

    it('only the owner may claim its address; the claim is final once committed', () => {
      const al = fresh(6);
      repairAllocators([], al, { reserve: reserve(al) });
      const reg = new FakeRegistry(al);
      assert.match(failure(reg.create(service('intruder', { clusterIP: '127.96.0.10' }))).message, /failed to allocate IP 127\.96\.0\.10: provided IP is already allocated/);
      const kubernetes = must(reg.create(service('kubernetes', { clusterIP: '127.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] })));
      assert.equal(kubernetes.spec.clusterIP, '127.96.0.1');
      const dns = must(reg.create(service('kube-dns', { clusterIP: '127.96.0.10' }, 'kube-system')));
      assert.equal(dns.spec.clusterIP, '127.96.0.10');
      assert.equal(al.reservations.size, 0);
      must(reg.delete('kube-dns', 'kube-system'));
      assert.equal(al.clusterIPs.has('127.96.0.10'), false, 'an owner that was deleted frees the address like any other');
    });

    it('a failed create by the owner keeps the reservation', () => {
      const al = fresh(7);
      repairAllocators([], al, { reserve: reserve(al) });
      const reg = new FakeRegistry(al);
      failure(reg.create(service('kube-dns', { clusterIP: '127.96.0.10', ports: [] }, 'kube-system')));
      assert.equal(al.reservations.get('127.96.0.10'), 'kube-system/kube-dns');
      assert.equal(al.clusterIPs.has('127.96.0.10'), true);
    });

    it('are skipped for owners that exist and reported when another Service holds the address', () => {
      const al = fresh(8);
      const report = repairAllocators(
        [
          { ...stored('kubernetes', { clusterIP: '127.96.0.1', clusterIPs: ['127.96.0.1'] }) },
          stored('squatter', { clusterIP: '127.96.0.10', clusterIPs: ['127.96.0.10'] }),
        ],
        al,
        { reserve: reserve(al) },
      );
      assert.equal(report.reserved, 0);
      assert.deepEqual(
        report.problems.map((p) => [p.kind, p.service, p.message]),
        [['ReservationUnavailable', 'kube-system/kube-dns', 'Cannot reserve cluster IP 127.96.0.10 for kube-system/kube-dns: provided IP is already allocated']],
      );
    });
  });
});
