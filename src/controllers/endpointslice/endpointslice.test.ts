import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EndpointSlice, Pod, Stored } from '../../api/index.js';
import { eventually, memoryApi, type MemoryApi } from '../../testing/index.js';
import type { RunningController } from '../_runner.js';
import { addNode, node, pod, runPod, service, setPodStatus, setReady } from '../_testing.js';
import { ENDPOINTSLICE_CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, startEndpointSliceController } from './index.js';

describe('EndpointSlice controller against the API', () => {
  let api: MemoryApi;
  let ctl: RunningController;
  before(async () => {
    api = await memoryApi();
    await addNode(api.client, node('node0'));
    ctl = await startEndpointSliceController({ client: api.client });
  });
  after(async () => {
    await ctl.stop();
    await api.close();
  });

  const slicesOf = async (ns: string, svc: string): Promise<Stored<EndpointSlice>[]> =>
    (await api.client.endpointSlices(ns).list({ labelSelector: `${SERVICE_NAME_LABEL}=${svc}` })).items;
  const addresses = (slices: Stored<EndpointSlice>[]) =>
    slices
      .flatMap((s) => (s.endpoints ?? []).map((e) => `${e.addresses[0]}:${(s.ports ?? []).map((p) => p.port).join('+')}`))
      .sort();

  it('serves a basic endpoint from pods: an empty placeholder, then each pod as it comes and goes (§7.3)', async () => {
    const c = api.client;
    const svc = await c.services('default').create(service('basic', { ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] }));
    const placeholder = await eventually(async () => {
      const l = await slicesOf('default', 'basic');
      return l.length === 1 && l[0]!.endpoints === null ? l[0] : undefined;
    });
    assert.equal(placeholder.ports, null);
    assert.equal(placeholder.metadata.labels?.[MANAGED_BY_LABEL], ENDPOINTSLICE_CONTROLLER_NAME);
    assert.deepEqual(placeholder.metadata.ownerReferences, [
      { apiVersion: 'v1', kind: 'Service', name: 'basic', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    assert.match(placeholder.metadata.name, /^basic-[bcdfghjklmnpqrstvwxz2456789]{5}$/);

    await runPod(c, pod('pod1', { labels: { app: 'basic' }, nodeName: 'node0', ports: [{ containerPort: 80 }] }), { ip: '10.244.0.1', ready: true });
    await eventually(async () => addresses(await slicesOf('default', 'basic')).join() === '10.244.0.1:80');
    await runPod(c, pod('pod2', { labels: { app: 'basic' }, nodeName: 'node0', ports: [{ containerPort: 80 }] }), { ip: '10.244.0.2', ready: true });
    await eventually(async () => addresses(await slicesOf('default', 'basic')).join() === '10.244.0.1:80,10.244.0.2:80');
    await c.pods('default').delete('pod1', { gracePeriodSeconds: 0 });
    await eventually(async () => addresses(await slicesOf('default', 'basic')).join() === '10.244.0.2:80');
    await c.pods('default').delete('pod2', { gracePeriodSeconds: 0 });
    const last = await eventually(async () => {
      const l = await slicesOf('default', 'basic');
      return l.length === 1 && l[0]!.endpoints === null ? l : undefined;
    });
    assert.equal(last[0]!.ports, null);
  });

  it('flips an endpoint condition in place when its pod turns unready, and records the trigger time', async () => {
    const c = api.client;
    await c.services('default').create(service('flip'));
    await runPod(c, pod('f1', { labels: { app: 'flip' }, nodeName: 'node0' }), { ip: '10.244.1.1', ready: true });
    const first = await eventually(async () => {
      const l = await slicesOf('default', 'flip');
      return l.length === 1 && l[0]!.endpoints?.length === 1 ? l[0] : undefined;
    });
    await setReady(c, { namespace: 'default', name: 'f1', ready: false, at: '2026-11-01T00:10:00Z' });
    const flipped = await eventually(async () => {
      const l = await slicesOf('default', 'flip');
      return l[0]?.endpoints?.[0]?.conditions?.ready === false ? l[0] : undefined;
    });
    assert.equal(flipped.metadata.name, first.metadata.name, 'the same slice is updated');
    assert.deepEqual(flipped.endpoints?.[0]?.conditions, { ready: false, serving: false, terminating: false });
    assert.equal(flipped.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2026-11-01T00:10:00Z');
  });

  it('has exactly one slice with no endpoints when the only pod is evicted (§7.31)', async () => {
    const c = api.client;
    await c.services('default').create(service('evict', { publishNotReadyAddresses: true }));
    await runPod(c, pod('e1', { labels: { app: 'evict' }, nodeName: 'node0' }), { ip: '10.244.2.1', ready: true });
    await eventually(async () => (await slicesOf('default', 'evict'))[0]?.endpoints?.length === 1);
    const evict = (p: Stored<Pod>) => {
      p.status = { ...(p.status ?? {}), phase: 'Failed', reason: 'Evicted' };
    };
    await setPodStatus(c, { namespace: 'default', name: 'e1', change: evict });
    await eventually(async () => {
      const l = await slicesOf('default', 'evict');
      return l.length === 1 && l[0]!.endpoints === null;
    });
  });

  it('recreates a deleted slice (§7.43)', async () => {
    const c = api.client;
    await c.services('default').create(service('again'));
    await runPod(c, pod('a1', { labels: { app: 'again' }, nodeName: 'node0' }), { ip: '10.244.3.1', ready: true });
    const s = await eventually(async () => (await slicesOf('default', 'again')).find((x) => x.endpoints?.length === 1));
    await c.endpointSlices('default').delete(s.metadata.name);
    const back = await eventually(async () => (await slicesOf('default', 'again')).find((x) => x.endpoints?.length === 1 && x.metadata.name !== s.metadata.name));
    assert.equal(back.endpoints?.[0]?.addresses[0], '10.244.3.1');
  });

  it('resolves a named targetPort per pod, giving pods with different numbers different slices (§7.43)', async () => {
    const c = api.client;
    await c.services('default').create(
      service('named', { publishNotReadyAddresses: true, ports: [{ name: 'http', port: 80, targetPort: 'example-name', protocol: 'TCP' }] }),
    );
    await runPod(c, pod('n1', { labels: { app: 'named' }, nodeName: 'node0', ports: [{ name: 'example-name', containerPort: 3000 }] }), { ip: '10.244.4.1', ready: true });
    await runPod(c, pod('n2', { labels: { app: 'named' }, nodeName: 'node0', ports: [{ name: 'example-name', containerPort: 3001 }] }), { ip: '10.244.4.2', ready: true });
    const l = await eventually(async () => {
      const x = await slicesOf('default', 'named');
      return addresses(x).join() === '10.244.4.1:3000,10.244.4.2:3001' ? x : undefined;
    });
    assert.equal(l.length, 2);
    for (const s of l) {
      assert.equal(s.ports?.[0]?.name, 'http');
      for (const e of s.endpoints ?? []) assert.equal(e.targetRef?.kind, 'Pod');
    }
  });

  it('leaves slices it does not manage alone, even ones naming a Service it serves (§7.44)', async () => {
    const c = api.client;
    await c.services('default').create(service('mixed'));
    const mine = await c.endpointSlices('default').create({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'mixed-by-hand', namespace: 'default', labels: { [SERVICE_NAME_LABEL]: 'mixed', 'e2e-test': 'yes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.9.9.9'] }],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    });
    await eventually(async () => (await slicesOf('default', 'mixed')).some((x) => x.metadata.labels?.[MANAGED_BY_LABEL] === ENDPOINTSLICE_CONTROLLER_NAME));
    const after = await c.endpointSlices('default').get('mixed-by-hand');
    assert.equal(after.metadata.resourceVersion, mine.metadata.resourceVersion);
    assert.deepEqual(after.endpoints, [{ addresses: ['10.9.9.9'] }]);
  });

  it('leaves a selectorless Service alone', async () => {
    const c = api.client;
    await c.services('default').create(service('manual', { selector: null }));
    await c.services('default').create(service('marker'));
    await eventually(async () => (await slicesOf('default', 'marker')).length === 1);
    assert.equal((await slicesOf('default', 'manual')).length, 0);
  });
});
