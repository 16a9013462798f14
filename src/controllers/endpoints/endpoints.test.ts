import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Endpoints, Pod, Stored } from '../../api/index.js';
import { eventually, type MemoryApi } from '../../testing/index.js';
import { addNode, controllersApi, node, pod, runPod, service, setPodStatus } from '../_testing.js';
import { startControllers, type RunningControllers } from '../index.js';
import { SERVICE_NAME_LABEL } from '../endpointslice/plan.js';

describe('Endpoints controller against the API', () => {
  let api: MemoryApi;
  let ctl: RunningControllers;
  before(async () => {
    api = await controllersApi();
    await addNode(api.client, node('node0'));
    ctl = await startControllers({ client: api.client, controllers: ['endpoints', 'endpointslice', 'garbagecollector'] });
  });
  after(async () => {
    await ctl.stop();
    await api.close();
  });

  const c = () => api.client;
  const getEp = async (name: string): Promise<Stored<Endpoints> | undefined> => {
    try {
      return await c().endpoints('default').get(name);
    } catch {
      return undefined;
    }
  };
  /** `ip:port` of every ready address, per port name. */
  const view = (ep: Endpoints | undefined) =>
    (ep?.subsets ?? [])
      .flatMap((s) => (s.addresses ?? []).flatMap((a) => (s.ports ?? [{ port: 0, name: '' }]).map((p) => `${p.name ?? ''}/${a.ip}:${p.port}`)))
      .sort()
      .join(' ');

  it('serves a basic endpoint from pods (§7.3)', async () => {
    await c().services('default').create(service('basic'));
    const empty = await eventually(() => getEp('basic'));
    assert.equal(empty.subsets, undefined);
    await runPod(c(), pod('pod1', { labels: { app: 'basic' }, nodeName: 'node0', ports: [{ containerPort: 80 }] }), { ip: '10.1.0.1', ready: true });
    await eventually(async () => view(await getEp('basic')) === '/10.1.0.1:80');
    await runPod(c(), pod('pod2', { labels: { app: 'basic' }, nodeName: 'node0', ports: [{ containerPort: 80 }] }), { ip: '10.1.0.2', ready: true });
    await eventually(async () => view(await getEp('basic')) === '/10.1.0.1:80 /10.1.0.2:80');
    await c().pods('default').delete('pod1', { gracePeriodSeconds: 0 });
    await eventually(async () => view(await getEp('basic')) === '/10.1.0.2:80');
    await c().pods('default').delete('pod2', { gracePeriodSeconds: 0 });
    await eventually(async () => (await getEp('basic'))?.subsets === undefined);
  });

  it('is updated after adding or deleting service ports (§7.5)', async () => {
    const svc = await c().services('default').create(service('ports', { ports: [{ name: 'portname1', port: 80, targetPort: 'svc1', protocol: 'TCP' }] }));
    await runPod(c(), pod('pa', { labels: { app: 'ports' }, nodeName: 'node0', ports: [{ name: 'svc1', containerPort: 100 }] }), { ip: '10.2.0.1', ready: true });
    await eventually(async () => view(await getEp('ports')) === 'portname1/10.2.0.1:100');
    const withTwo = await c().services('default').update({
      ...svc,
      spec: { ...svc.spec, ports: [...(svc.spec.ports ?? []), { name: 'portname2', port: 81, targetPort: 'svc2', protocol: 'TCP' }] },
    });
    await runPod(c(), pod('pb', { labels: { app: 'ports' }, nodeName: 'node0', ports: [{ name: 'svc2', containerPort: 101 }] }), { ip: '10.2.0.2', ready: true });
    await eventually(async () => view(await getEp('ports')) === 'portname1/10.2.0.1:100 portname2/10.2.0.2:101');
    await c().services('default').update({ ...withTwo, spec: { ...withTwo.spec, ports: [withTwo.spec.ports![0]!] } });
    await eventually(async () => view(await getEp('ports')) === 'portname1/10.2.0.1:100');
  });

  it('has no subsets and one empty slice when the only pod is evicted, even publishing not-ready addresses (§7.31)', async () => {
    await c().services('default').create(service('evicted', { publishNotReadyAddresses: true }));
    await runPod(c(), pod('ev', { labels: { app: 'evicted' }, nodeName: 'node0' }), { ip: '10.3.0.1', ready: false });
    await eventually(async () => view(await getEp('evicted')) === '/10.3.0.1:80');
    const evict = (p: Stored<Pod>) => {
      p.status = { ...(p.status ?? {}), phase: 'Failed', reason: 'Evicted' };
    };
    await setPodStatus(c(), { namespace: 'default', name: 'ev', change: evict });
    await eventually(async () => {
      const slices = (await c().endpointSlices('default').list({ labelSelector: `${SERVICE_NAME_LABEL}=evicted` })).items;
      return (await getEp('evicted'))?.subsets === undefined && slices.length === 1 && slices[0]!.endpoints === null;
    });
  });

  it('creates Endpoints and one managed empty slice for a selector matching nothing, and removes both with the service (§7.42)', async () => {
    await c().services('default').create(service('nothing', { selector: { app: 'no-such-pod' } }));
    await eventually(() => getEp('nothing'));
    const slices = await eventually(async () => {
      const l = (await c().endpointSlices('default').list({ labelSelector: `${SERVICE_NAME_LABEL}=nothing` })).items;
      return l.length === 1 ? l : undefined;
    });
    assert.equal(slices[0]!.metadata.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(slices[0]!.endpoints, null);
    await c().services('default').delete('nothing');
    await eventually(async () => {
      const l = (await c().endpointSlices('default').list({ labelSelector: `${SERVICE_NAME_LABEL}=nothing` })).items;
      return (await getEp('nothing')) === undefined && l.length === 0;
    });
  });

  it('gives publishNotReady services with named ports one address per pod with that pod own container port (§7.43)', async () => {
    await c().services('default').create(service('example', { publishNotReadyAddresses: true, ports: [{ name: 'http', port: 80, targetPort: 'example-name', protocol: 'TCP' }] }));
    await runPod(c(), pod('e1', { labels: { app: 'example' }, nodeName: 'node0', ports: [{ name: 'example-name', containerPort: 3000 }] }), { ip: '10.4.0.1', ready: false });
    await runPod(c(), pod('e2', { labels: { app: 'example' }, nodeName: 'node0', ports: [{ name: 'example-name', containerPort: 3001 }] }), { ip: '10.4.0.2', ready: false });
    const ep = await eventually(async () => {
      const x = await getEp('example');
      return view(x) === 'http/10.4.0.1:3000 http/10.4.0.2:3001' ? x : undefined;
    });
    assert.equal(ep.subsets?.length, 2);
    for (const s of ep.subsets ?? []) for (const a of s.addresses ?? []) assert.deepEqual(Object.keys(a.targetRef ?? {}).sort(), ['kind', 'name', 'namespace', 'uid']);
  });

  it('leaves alone Endpoints of a selectorless service and Endpoints with no service at all (§7.37, §7.41)', async () => {
    // As the API server keeps default/kubernetes: a selectorless Service with hand-written Endpoints.
    await c().services('default').create(service('manual', { selector: null }));
    await c().endpoints('default').create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.0.0.24' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }] });
    await c().endpoints('default').create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'testservice', namespace: 'default', labels: { 'test-endpoint-static': 'true' } }, subsets: [{ addresses: [{ ip: '10.0.0.24' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }] });
    // Give the controllers a reason to run (and a marker that they did).
    await c().services('default').create(service('marker2'));
    await eventually(() => getEp('marker2'));
    assert.equal((await getEp('manual'))?.subsets?.[0]?.addresses?.[0]?.ip, '10.0.0.24');
    assert.equal((await getEp('testservice'))?.subsets?.[0]?.ports?.[0]?.name, 'http');
    assert.equal((await c().endpointSlices('default').list({ labelSelector: `${SERVICE_NAME_LABEL}=manual` })).items.length, 0);
  });
});
