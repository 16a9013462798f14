import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EndpointSlice, Pod, Service, Stored } from '../../api/index.js';
import { pod, runningStatus, service } from '../_testing.js';
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL, addressTypesFor, planEndpointSlices, sliceView, type NodeInfo, type SliceInputs } from './plan.js';

let seq = 0;
function stored<T extends { metadata: object }>(o: T, extra: Partial<Stored<T>['metadata']> = {}): Stored<T> {
  seq++;
  return {
    ...structuredClone(o),
    metadata: { namespace: 'default', uid: `uid-${seq}`, resourceVersion: String(seq), creationTimestamp: '2026-11-01T00:00:00Z', ...(o.metadata as object), ...extra },
  } as Stored<T>;
}

function runningPod(name: string, ip: string, o: { ready?: boolean; labels?: Record<string, string>; ports?: Pod['spec']['containers'][number]['ports']; node?: string; deleting?: boolean; phase?: 'Running' | 'Failed' | 'Succeeded'; hostname?: string; subdomain?: string } = {}): Stored<Pod> {
  const p = pod(name, { labels: o.labels ?? { app: 'web' }, nodeName: o.node ?? 'node0', ...(o.ports ? { ports: o.ports } : {}), ...(o.hostname ? { hostname: o.hostname } : {}), ...(o.subdomain ? { subdomain: o.subdomain } : {}) });
  p.status = runningStatus({ ip, ready: o.ready ?? true, ...(o.phase ? { phase: o.phase } : {}) });
  return stored(p, { name, uid: `pod-${name}`, ...(o.deleting ? { deletionTimestamp: '2026-11-01T00:05:00Z' } : {}) });
}

const svc = (s: Service = service('web')): Stored<Service> => stored(s, { uid: `svc-${s.metadata.name}` });
const nodes: Record<string, NodeInfo> = { node0: { labels: { 'topology.kubernetes.io/zone': 'zone-a' } }, node1: {} };
const inputs = (o: Partial<SliceInputs> & { service: Stored<Service> }): SliceInputs => ({ pods: [], existing: [], node: (n) => nodes[n], ...o });

/** Applies a plan to a set of stored slices as the API would (names for creates). */
function apply(existing: Stored<EndpointSlice>[], plan: ReturnType<typeof planEndpointSlices>): Stored<EndpointSlice>[] {
  const byName = new Map(existing.map((s) => [s.metadata.name, s]));
  for (const d of plan.delete) byName.delete(d.metadata.name);
  for (const u of plan.update) byName.set(u.metadata.name!, stored(u, { name: u.metadata.name!, uid: byName.get(u.metadata.name!)?.metadata.uid ?? 'x' }));
  for (const c of plan.create) {
    const name = `${c.metadata.generateName}${String(++seq).padStart(5, 'b')}`;
    byName.set(name, stored(c, { name }));
  }
  return [...byName.values()];
}

describe('planEndpointSlices', () => {
  it('creates exactly one placeholder slice with null endpoints and ports when no pod matches', () => {
    const s = svc(service('web', { labels: { team: 'a', [SERVICE_NAME_LABEL]: 'spoof' } }));
    const plan = planEndpointSlices(inputs({ service: s }));
    assert.equal(plan.create.length, 1);
    const p = plan.create[0]!;
    assert.equal(p.endpoints, null);
    assert.equal(p.ports, null);
    assert.equal(p.addressType, 'IPv4');
    assert.equal(p.metadata.generateName, 'web-');
    assert.deepEqual(p.metadata.labels, { team: 'a', [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: 'endpointslice-controller.k8s.io' });
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-web', controller: true, blockOwnerDeletion: true }]);
  });

  it('keeps an existing placeholder instead of replacing it', () => {
    const s = svc();
    const first = apply([], planEndpointSlices(inputs({ service: s })));
    const again = planEndpointSlices(inputs({ service: s, existing: first }));
    assert.deepEqual([again.create.length, again.update.length, again.delete.length], [0, 0, 0]);
  });

  it('publishes a ready pod with its conditions, target, node and zone', () => {
    const plan = planEndpointSlices(inputs({ service: svc(), pods: [runningPod('a', '10.0.0.1')] }));
    assert.equal(plan.create.length, 1);
    const sl = plan.create[0]!;
    assert.deepEqual(sl.ports, [{ name: '', port: 80, protocol: 'TCP' }]);
    assert.deepEqual(sl.endpoints, [
      {
        addresses: ['10.0.0.1'],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'pod-a' },
        nodeName: 'node0',
        zone: 'zone-a',
      },
    ]);
  });

  it('keeps terminating pods with ready=false (serving as their Ready condition), or ready=true when publishing not-ready addresses', () => {
    const terminating = runningPod('t', '10.0.0.2', { deleting: true });
    const one = planEndpointSlices(inputs({ service: svc(), pods: [terminating] })).create[0]!.endpoints![0]!;
    assert.deepEqual(one.conditions, { ready: false, serving: true, terminating: true });
    const pub = planEndpointSlices(inputs({ service: svc(service('web', { publishNotReadyAddresses: true })), pods: [terminating, runningPod('u', '10.0.0.3', { ready: false })] }));
    for (const e of pub.create[0]!.endpoints!) assert.equal(e.conditions?.ready, true);
  });

  it('leaves out terminal pods and pods without an IP, leaving the placeholder (§7.31)', () => {
    const evicted = runningPod('e', '10.0.0.4', { phase: 'Failed' });
    const noIp = stored(pod('n', { labels: { app: 'web' }, nodeName: 'node0' }), { name: 'n' });
    const plan = planEndpointSlices(inputs({ service: svc(service('web', { publishNotReadyAddresses: true })), pods: [evicted, noIp] }));
    assert.equal(plan.create.length, 1);
    assert.equal(plan.create[0]!.endpoints, null);
  });

  it('resolves a named targetPort per pod: different container ports give different slices (§7.43)', () => {
    const s = svc(service('web', { ports: [{ name: 'http', port: 80, targetPort: 'example-name', protocol: 'TCP' }] }));
    const a = runningPod('a', '10.0.0.1', { ports: [{ name: 'example-name', containerPort: 3000 }] });
    const b = runningPod('b', '10.0.0.2', { ports: [{ name: 'example-name', containerPort: 3001 }] });
    const plan = planEndpointSlices(inputs({ service: s, pods: [a, b] }));
    assert.equal(plan.create.length, 2);
    const seen = plan.create.map((x) => `${x.ports?.[0]?.name}:${x.ports?.[0]?.port}=${x.endpoints?.[0]?.addresses[0]}`).sort();
    assert.deepEqual(seen, ['http:3000=10.0.0.1', 'http:3001=10.0.0.2']);
  });

  it('puts a pod lacking one of the named ports in a slice without that port (§7.4)', () => {
    const s = svc(
      service('multi', {
        ports: [
          { name: 'portname1', port: 80, targetPort: 'svc1', protocol: 'TCP' },
          { name: 'portname2', port: 81, targetPort: 'svc2', protocol: 'TCP' },
        ],
        selector: { app: 'web' },
      }),
    );
    const p1 = runningPod('pod1', '10.0.0.1', { ports: [{ name: 'svc1', containerPort: 100 }] });
    const p2 = runningPod('pod2', '10.0.0.2', { ports: [{ name: 'svc2', containerPort: 101 }] });
    const view = sliceView(planEndpointSlices(inputs({ service: s, pods: [p1, p2] })).create);
    assert.deepEqual(Object.keys(view).sort(), ['IPv4|portname1\u0000100\u0000TCP\u0000', 'IPv4|portname2\u0000101\u0000TCP\u0000']);
  });

  it('puts at most maxEndpointsPerSlice endpoints in a slice', () => {
    const pods = Array.from({ length: 250 }, (_, i) => runningPod(`p${i}`, `10.1.${Math.floor(i / 200)}.${i % 200}`));
    const plan = planEndpointSlices(inputs({ service: svc(), pods }));
    assert.deepEqual(plan.create.map((x) => x.endpoints?.length).sort(), [100, 100, 50]);
    const twenty = planEndpointSlices(inputs({ service: svc(), pods: pods.slice(0, 45), maxEndpointsPerSlice: 20 }));
    assert.deepEqual(twenty.create.map((x) => x.endpoints?.length).sort(), [20, 20, 5]);
  });

  it('sets the hostname only for pods whose subdomain is the service', () => {
    const s = svc(service('db', { selector: { app: 'web' }, clusterIP: 'None' }));
    const named = runningPod('a', '10.0.0.1', { hostname: 'db-0', subdomain: 'db' });
    const other = runningPod('b', '10.0.0.2', { hostname: 'x', subdomain: 'elsewhere' });
    const eps = planEndpointSlices(inputs({ service: s, pods: [named, other] })).create.flatMap((x) => x.endpoints ?? []);
    assert.deepEqual(eps.map((e) => e.hostname ?? '-').sort(), ['-', 'db-0']);
  });

  it('labels headless services with service.kubernetes.io/headless', () => {
    const plan = planEndpointSlices(inputs({ service: svc(service('h', { clusterIP: 'None' })) }));
    assert.equal(plan.create[0]!.metadata.labels?.['service.kubernetes.io/headless'], '');
  });

  it('skips a pod whose Node does not exist (and reports it), unless not-ready addresses are published', () => {
    const lost = runningPod('lost', '10.0.0.9', { node: 'gone' });
    const plan = planEndpointSlices(inputs({ service: svc(), pods: [lost] }));
    assert.equal(plan.create[0]!.endpoints, null);
    assert.match(plan.skipped[0] ?? '', /skipping Pod lost for Service default\/web: Node gone Not Found/);
    const pub = planEndpointSlices(inputs({ service: svc(service('web', { publishNotReadyAddresses: true })), pods: [lost] }));
    assert.equal(pub.create[0]!.endpoints?.length, 1);
    assert.deepEqual(pub.skipped, []);
  });

  it('updates only the slice holding a pod whose readiness flipped, and stamps the trigger time', () => {
    const s = svc();
    const pods = Array.from({ length: 150 }, (_, i) => runningPod(`p${i}`, `10.2.0.${i}`));
    const slices = apply([], planEndpointSlices(inputs({ service: s, pods })));
    assert.equal(slices.length, 2);
    const flipped = pods.map((p, i) => (i === 7 ? runningPod('p7', '10.2.0.7', { ready: false }) : p));
    const plan = planEndpointSlices(inputs({ service: s, pods: flipped, existing: slices, triggerTimeMs: Date.UTC(2026, 10, 1, 0, 0, 1, 250) }));
    assert.deepEqual([plan.create.length, plan.update.length, plan.delete.length], [0, 1, 0]);
    const u = plan.update[0]!;
    assert.equal(u.endpoints?.find((e) => e.targetRef?.name === 'p7')?.conditions?.ready, false);
    assert.equal(u.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2026-11-01T00:00:01.25Z');
    assert.equal(u.metadata.resourceVersion, slices.find((x) => x.metadata.name === u.metadata.name)?.metadata.resourceVersion);
  });

  it('deletes a slice whose endpoints all went away, and turns the last one into the placeholder by update', () => {
    const s = svc();
    const slices = apply([], planEndpointSlices(inputs({ service: s, pods: [runningPod('a', '10.0.0.1')] })));
    const plan = planEndpointSlices(inputs({ service: s, pods: [], existing: slices }));
    // The emptied slice would be deleted and a placeholder created; finalize reuses it.
    assert.deepEqual([plan.create.length, plan.update.length, plan.delete.length], [0, 1, 0]);
    assert.equal(plan.update[0]!.endpoints, null);
    assert.equal(plan.update[0]!.ports, null);
  });

  it('deletes slices of an address type the service no longer has, and slices owned by an older service of the same name', () => {
    const s = svc();
    const stray = stored({ ...planEndpointSlices(inputs({ service: s })).create[0]!, addressType: 'IPv6' as const }, { name: 'web-v6' });
    const oldOwner = stored(planEndpointSlices(inputs({ service: stored(service('web'), { uid: 'older' }) })).create[0]!, { name: 'web-old' });
    const plan = planEndpointSlices(inputs({ service: s, existing: [stray, oldOwner] }));
    assert.deepEqual(plan.delete.map((x) => x.metadata.name).sort(), ['web-old', 'web-v6']);
    assert.equal(plan.create.length, 1);
  });

  it('follows label changes of the service onto its slices', () => {
    const s = svc();
    const slices = apply([], planEndpointSlices(inputs({ service: s, pods: [runningPod('a', '10.0.0.1')] })));
    const relabelled = svc(service('web', { labels: { tier: 'front' } }));
    const plan = planEndpointSlices(inputs({ service: relabelled, pods: [runningPod('a', '10.0.0.1')], existing: slices }));
    assert.equal(plan.update.length, 1);
    assert.equal(plan.update[0]!.metadata.labels?.tier, 'front');
  });

  it('creates nothing for a service being deleted', () => {
    const s = svc();
    s.metadata.deletionTimestamp = '2026-11-01T00:00:00Z';
    assert.equal(planEndpointSlices(inputs({ service: s, pods: [runningPod('a', '10.0.0.1')] })).create.length, 0);
  });

  it('derives address types from ipFamilies, else the ClusterIP, else both for headless', () => {
    assert.deepEqual(addressTypesFor(service('a')), ['IPv4']);
    const noFam = service('b', { clusterIP: 'fd00::1' });
    delete noFam.spec.ipFamilies;
    assert.deepEqual(addressTypesFor(noFam), ['IPv6']);
    const headless = service('c', { clusterIP: 'None' });
    delete headless.spec.ipFamilies;
    assert.deepEqual(addressTypesFor(headless), ['IPv4', 'IPv6']);
  });
});
