import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoints, Pod, Service, Stored } from '../../api/index.js';
import { pod, runningStatus, service } from '../_testing.js';
import { MAX_ENDPOINTS_CAPACITY, OVER_CAPACITY_ANNOTATION, desiredSubsets, planEndpoints, truncateSubsets } from './plan.js';

const meta = (name: string, extra: object = {}) => ({ name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: '2026-11-01T00:00:00Z', ...extra });

function running(name: string, ip: string, o: { ready?: boolean; ports?: Pod['spec']['containers'][number]['ports']; deleting?: boolean; hostname?: string; subdomain?: string } = {}): Stored<Pod> {
  const p = pod(name, { labels: { app: 'web' }, nodeName: 'node0', ...(o.ports ? { ports: o.ports } : {}), ...(o.hostname ? { hostname: o.hostname, subdomain: o.subdomain ?? '' } : {}) });
  p.status = runningStatus({ ip, ready: o.ready ?? true });
  return { ...p, metadata: meta(name, { labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2026-11-01T00:01:00Z' } : {}) }) } as Stored<Pod>;
}
const svc = (s: Service = service('web')): Stored<Service> => ({ ...s, metadata: meta(s.metadata.name ?? '', { labels: s.metadata.labels }) }) as Stored<Service>;
const ips = (as: { ip: string }[] | undefined) => (as ?? []).map((a) => a.ip);

describe('planEndpoints', () => {
  it('creates Endpoints named after the service with its labels, no subsets and the trigger time when no pod matches', () => {
    const plan = planEndpoints({ service: svc(service('web', { labels: { a: 'b' } })), pods: [], current: undefined, triggerTimeMs: Date.UTC(2026, 10, 1) });
    assert.equal(plan.action, 'create');
    if (plan.action !== 'create') return;
    assert.equal(plan.endpoints.metadata.name, 'web');
    assert.deepEqual(plan.endpoints.metadata.labels, { a: 'b' });
    assert.equal(plan.endpoints.subsets, undefined);
    assert.equal(plan.endpoints.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2026-11-01T00:00:00Z');
    assert.equal(plan.endpoints.metadata.ownerReferences, undefined);
  });

  it('puts ready pods in addresses and the others in notReadyAddresses, each with node and pod target', () => {
    const subsets = desiredSubsets(svc(), [running('a', '10.0.0.1'), running('b', '10.0.0.2', { ready: false })]);
    assert.deepEqual(subsets, [
      {
        addresses: [{ ip: '10.0.0.1', nodeName: 'node0', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } }],
        notReadyAddresses: [{ ip: '10.0.0.2', nodeName: 'node0', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' } }],
        ports: [{ port: 80, protocol: 'TCP' }],
      },
    ]);
  });

  it('publishes every pod as ready, terminating ones included, when publishNotReadyAddresses is set; leaves terminating pods out otherwise', () => {
    const pods = [running('a', '10.0.0.1', { ready: false }), running('t', '10.0.0.2', { deleting: true })];
    const pub = desiredSubsets(svc(service('web', { publishNotReadyAddresses: true })), pods);
    assert.deepEqual(ips(pub[0]?.addresses), ['10.0.0.1', '10.0.0.2']);
    const plain = desiredSubsets(svc(), pods);
    assert.deepEqual(ips(plain[0]?.notReadyAddresses), ['10.0.0.1']);
    assert.equal(plain[0]?.addresses, undefined);
  });

  it('serves multiport endpoints from pods: each pod only under the port it has (§7.4)', () => {
    const s = svc(
      service('multi', {
        ports: [
          { name: 'portname1', port: 80, targetPort: 'svc1', protocol: 'TCP' },
          { name: 'portname2', port: 81, targetPort: 'svc2', protocol: 'TCP' },
        ],
      }),
    );
    const subsets = desiredSubsets(s, [running('pod1', '10.0.0.1', { ports: [{ name: 'svc1', containerPort: 100 }] }), running('pod2', '10.0.0.2', { ports: [{ name: 'svc2', containerPort: 101 }] })]);
    assert.deepEqual(
      subsets.map((x) => `${ips(x.addresses).join()}=${(x.ports ?? []).map((p) => `${p.name}:${p.port}`).join()}`),
      ['10.0.0.1=portname1:100', '10.0.0.2=portname2:101'],
    );
  });

  it('repacks addresses that share ports into one subset and keeps unready-on-any-port unready', () => {
    const s = svc(service('two', { ports: [{ name: 'a', port: 80, targetPort: 80, protocol: 'TCP' }, { name: 'b', port: 81, targetPort: 81, protocol: 'TCP' }] }));
    const subsets = desiredSubsets(s, [running('x', '10.0.0.2'), running('y', '10.0.0.1')]);
    assert.equal(subsets.length, 1);
    assert.deepEqual(ips(subsets[0]?.addresses), ['10.0.0.1', '10.0.0.2']);
    assert.deepEqual(subsets[0]?.ports?.map((p) => p.name), ['a', 'b']);
  });

  it('gives headless services without ports addresses without ports, and labels them headless', () => {
    const s = svc(service('h', { clusterIP: 'None', ports: [] }));
    const plan = planEndpoints({ service: s, pods: [running('a', '10.0.0.1', { hostname: 'a0', subdomain: 'h' })], current: undefined, triggerTimeMs: undefined });
    assert.equal(plan.action, 'create');
    if (plan.action !== 'create') return;
    assert.deepEqual(plan.endpoints.subsets, [{ addresses: [{ ip: '10.0.0.1', hostname: 'a0', nodeName: 'node0', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } }] }]);
    assert.equal(plan.endpoints.metadata.labels?.['service.kubernetes.io/headless'], '');
  });

  it('truncates beyond 1000 addresses, ready ones first, and marks the object over capacity', () => {
    const pods = Array.from({ length: 1200 }, (_, i) => running(`p${i}`, `10.9.${Math.floor(i / 250)}.${i % 250}`, { ready: i < 900 }));
    const plan = planEndpoints({ service: svc(), pods, current: undefined, triggerTimeMs: undefined });
    assert.equal(plan.action, 'create');
    if (plan.action !== 'create') return;
    const s = plan.endpoints.subsets ?? [];
    assert.equal(s.reduce((n, x) => n + (x.addresses?.length ?? 0), 0), 900);
    assert.equal(s.reduce((n, x) => n + (x.notReadyAddresses?.length ?? 0), 0), 100);
    assert.equal(plan.endpoints.metadata.annotations?.[OVER_CAPACITY_ANNOTATION], 'truncated');
    const onlyReady = truncateSubsets([{ addresses: pods.map((p) => ({ ip: p.status!.podIP! })), ports: [{ port: 80 }] }], MAX_ENDPOINTS_CAPACITY);
    assert.equal(onlyReady.subsets[0]?.addresses?.length, 1000);
    assert.equal(onlyReady.truncated, true);
  });

  it('does nothing when the current object already matches, whatever the trigger time', () => {
    const s = svc();
    const pods = [running('a', '10.0.0.1')];
    const first = planEndpoints({ service: s, pods, current: undefined, triggerTimeMs: 1 });
    assert.equal(first.action, 'create');
    if (first.action !== 'create') return;
    const current = { ...first.endpoints, metadata: meta('web', first.endpoints.metadata) } as Stored<Endpoints>;
    assert.deepEqual(planEndpoints({ service: s, pods, current, triggerTimeMs: 2 }), { action: 'none' });
    const relabelled = planEndpoints({ service: svc(service('web', { labels: { x: 'y' } })), pods, current, triggerTimeMs: undefined });
    assert.equal(relabelled.action, 'update');
    if (relabelled.action === 'update') {
      assert.deepEqual(relabelled.endpoints.metadata.labels, { x: 'y' });
      assert.equal(relabelled.endpoints.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], undefined);
      assert.equal(relabelled.endpoints.metadata.resourceVersion, '1');
    }
  });
});
