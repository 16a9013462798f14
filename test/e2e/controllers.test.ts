// [controllers] acceptance: the reconcile loops with real pods, through the real kubectl and raw
// HTTPS — Endpoints and EndpointSlices as pods come and go (k8s-services.md §7 items 3, 4, 5,
// 31, 37, 41–44), the seed Deployment's life (scale, rollouts, history, undo, set image,
// cascading deletion), namespace deletion, and the controllers' events in `kubectl describe`.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Endpoints, EndpointSlice, Pod, Service, Stored } from '../../src/api/index.js';
import { startKubeloop, tableRows, type Kubeloop } from './harness.js';
import { httpGet, until } from './_streams_dns.js';
import { helloPod, isReady } from './_workloads.js';

const NS = 'default';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** The alphabet of upstream's rand.SafeEncodeString (generated name suffixes, pod-template-hash). */
const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';

function service(name: string, spec: Partial<Service['spec']>): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { ports: [{ port: 80 }], ...spec } };
}

/** What a Service's Endpoints and slices say, as `<pod>=<ip>:<port name>/<port>` per ready address and port. */
interface EndpointsView {
  /** The Endpoints object exists. */
  endpointsExist: boolean;
  endpoints: string[];
  slices: string[];
  sliceCount: number;
}

const entry = (pod: string, ip: string, portName: string, port: number) => `${pod}=${ip}:${portName}/${port}`;

async function view(kl: Kubeloop, name: string): Promise<EndpointsView> {
  const ep: Stored<Endpoints> | undefined = await kl.client
    .endpoints(NS)
    .get(name)
    .catch((e: unknown) => {
      if (/not found/.test(String(e))) return undefined;
      throw e;
    });
  const endpoints = (ep?.subsets ?? []).flatMap((s) => (s.addresses ?? []).flatMap((a) => (s.ports ?? []).map((p) => entry(a.targetRef?.name ?? '?', a.ip, p.name ?? '', p.port))));
  const slices = (await kl.client.endpointSlices(NS).list({ labelSelector: `${SERVICE_NAME_LABEL}=${name}` })).items;
  const fromSlices = slices.flatMap((s) =>
    (s.endpoints ?? []).filter((e) => e.conditions?.ready).flatMap((e) => (s.ports ?? []).flatMap((p) => e.addresses.map((ip) => entry(e.targetRef?.name ?? '?', ip, p.name ?? '', p.port ?? 0)))),
  );
  return { endpointsExist: ep !== undefined, endpoints: endpoints.sort(), slices: fromSlices.sort(), sliceCount: slices.length };
}

/** Waits until both the Endpoints and the slices of `name` list exactly `want`; fails showing what they list. */
async function settle(kl: Kubeloop, name: string, want: string[]): Promise<EndpointsView> {
  const sorted = [...want].sort();
  const same = (a: string[]) => a.length === sorted.length && a.every((x, i) => x === sorted[i]);
  let last: EndpointsView | undefined;
  try {
    return await until(
      async () => {
        last = await view(kl, name);
        return last.endpointsExist && same(last.endpoints) && same(last.slices) ? last : undefined;
      },
      { what: `Endpoints and EndpointSlices of ${name}` },
    );
  } catch (e) {
    assert.deepEqual({ endpoints: last?.endpoints, slices: last?.slices }, { endpoints: sorted, slices: sorted }, String(e));
    throw e;
  }
}

/** Creates a pod and waits until it is Ready with an IP. */
async function readyPod(kl: Kubeloop, pod: Pod): Promise<Stored<Pod>> {
  await kl.client.pods(NS).create(pod);
  return until(
    async () => {
      const p = await kl.client.pods(NS).get(pod.metadata.name!);
      return isReady(p) && p.status?.podIP ? p : undefined;
    },
    { what: `pod ${pod.metadata.name} Ready` },
  );
}

/** Deletes a pod and waits until it is gone from the API. */
async function deletePod(kl: Kubeloop, name: string): Promise<void> {
  await kl.client.pods(NS).delete(name);
  await until(async () => (await kl.client.pods(NS).list({ fieldSelector: `metadata.name=${name}` })).items.length === 0, { what: `pod ${name} gone` });
}

/** Every address of the Endpoints and every slice endpoint refers to the live pod with that IP (kind, namespace, name, uid, node). */
async function assertPodRefs(kl: Kubeloop, name: string): Promise<number> {
  const pods = new Map((await kl.client.pods(NS).list()).items.map((p) => [p.metadata.name, p]));
  const check = (ip: string, ref: { kind?: string; namespace?: string; name?: string; uid?: string } | undefined, nodeName: string | undefined) => {
    const pod = pods.get(ref?.name ?? '');
    assert.ok(pod, `address ${ip} refers to a live pod (${JSON.stringify(ref)})`);
    assert.deepEqual({ kind: ref?.kind, namespace: ref?.namespace, name: ref?.name, uid: ref?.uid }, { kind: 'Pod', namespace: NS, name: pod.metadata.name, uid: pod.metadata.uid });
    assert.equal(ip, pod.status?.podIP);
    assert.equal(nodeName, pod.spec.nodeName);
  };
  const addresses = ((await kl.client.endpoints(NS).get(name)).subsets ?? []).flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]);
  for (const a of addresses) check(a.ip, a.targetRef, a.nodeName);
  const endpoints = (await kl.client.endpointSlices(NS).list({ labelSelector: `${SERVICE_NAME_LABEL}=${name}` })).items.flatMap((s) => s.endpoints ?? []);
  for (const e of endpoints) check(e.addresses[0] ?? '', e.targetRef, e.nodeName);
  return addresses.length + endpoints.length;
}

/** Resolves with the error code of a TCP connection attempt (`'connected'` when it succeeds). */
function connectResult(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 3000 });
    s.once('connect', () => (s.destroy(), resolve('connected')));
    s.once('timeout', () => (s.destroy(), resolve('TIMEOUT')));
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? String(e)));
  });
}

describe('controllers: Endpoints and EndpointSlices with real pods (§7)', () => {
  let kl: Kubeloop;
  before(async () => {
    kl = await startKubeloop();
  });
  after(async () => {
    await kl?.stop();
  });

  it('(3) serves a basic endpoint from pods: empty, pod1, pod1+pod2, pod2 (pod1 terminating, then gone), empty', async () => {
    await kl.client.services(NS).create(service('ep-basic', { ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'ep-basic' } }));
    const empty = await settle(kl, 'ep-basic', []);
    assert.equal(empty.sliceCount, 1, 'one placeholder slice while no pod matches');
    const ports = [{ containerPort: 8080 }];
    // pod1's preStop hook keeps it terminating for a while after its deletion.
    const pod1 = await readyPod(kl, helloPod('ep-basic-1', { labels: { app: 'ep-basic' }, ports, preStopSleepSeconds: 3 }));
    await settle(kl, 'ep-basic', [entry('ep-basic-1', pod1.status!.podIP!, '', 8080)]);
    const pod2 = await readyPod(kl, helloPod('ep-basic-2', { labels: { app: 'ep-basic' }, ports }));
    await settle(kl, 'ep-basic', [entry('ep-basic-1', pod1.status!.podIP!, '', 8080), entry('ep-basic-2', pod2.status!.podIP!, '', 8080)]);
    assert.equal(await assertPodRefs(kl, 'ep-basic'), 4, 'two addresses and two slice endpoints, each with its pod');
    // Each published address really is that pod.
    for (const p of [pod1, pod2]) assert.equal((await httpGet(p.status!.podIP!, 8080)).body.trim(), p.metadata.name);
    await kl.client.pods(NS).delete('ep-basic-1');
    // Terminating: gone from the Endpoints and from the ready slice endpoints, still in a slice
    // as serving and terminating (§3.1, §3.3).
    await settle(kl, 'ep-basic', [entry('ep-basic-2', pod2.status!.podIP!, '', 8080)]);
    const terminating = (await kl.client.endpointSlices(NS).list({ labelSelector: `${SERVICE_NAME_LABEL}=ep-basic` })).items.flatMap((s) => s.endpoints ?? []).find((e) => e.targetRef?.name === 'ep-basic-1');
    assert.deepEqual(terminating?.conditions, { ready: false, serving: true, terminating: true });
    await until(async () => (await kl.client.pods(NS).list({ fieldSelector: 'metadata.name=ep-basic-1' })).items.length === 0, { what: 'pod ep-basic-1 gone' });
    await until(async () => !(await kl.client.endpointSlices(NS).list({ labelSelector: `${SERVICE_NAME_LABEL}=ep-basic` })).items.some((s) => JSON.stringify(s.endpoints).includes('ep-basic-1')), { what: 'ep-basic-1 out of the slices' });
    await settle(kl, 'ep-basic', [entry('ep-basic-2', pod2.status!.podIP!, '', 8080)]);
    await deletePod(kl, 'ep-basic-2');
    const after = await settle(kl, 'ep-basic', []);
    assert.equal(after.sliceCount, 1, 'back to one slice without endpoints');
    assert.equal((await kl.client.endpoints(NS).get('ep-basic')).subsets, undefined, 'no subsets field when nothing matches');
  });

  it('(4) serves multiport endpoints: each pod under the port whose named targetPort it declares', async () => {
    await kl.client.services(NS).create(
      service('ep-multi', {
        selector: { app: 'ep-multi' },
        ports: [
          { name: 'portname1', port: 80, targetPort: 'svc1' },
          { name: 'portname2', port: 81, targetPort: 'svc2' },
        ],
      }),
    );
    await settle(kl, 'ep-multi', []);
    const pod1 = await readyPod(kl, helloPod('ep-multi-1', { labels: { app: 'ep-multi' }, ports: [{ name: 'svc1', containerPort: 100 }] }));
    const pod2 = await readyPod(kl, helloPod('ep-multi-2', { labels: { app: 'ep-multi' }, ports: [{ name: 'svc2', containerPort: 101 }] }));
    const both = await settle(kl, 'ep-multi', [entry('ep-multi-1', pod1.status!.podIP!, 'portname1', 100), entry('ep-multi-2', pod2.status!.podIP!, 'portname2', 101)]);
    assert.equal(both.sliceCount, 2, 'pods with different port lists go to different slices');
    const ep = await kl.client.endpoints(NS).get('ep-multi');
    const subsets = (ep.subsets ?? []).map((s) => ({ ips: s.addresses?.map((a) => a.ip), ports: s.ports?.map((p) => `${p.name}/${p.port}/${p.protocol}`) }));
    assert.deepEqual(subsets.sort((a, b) => (a.ports?.[0] ?? '').localeCompare(b.ports?.[0] ?? '')), [
      { ips: [pod1.status!.podIP], ports: ['portname1/100/TCP'] },
      { ips: [pod2.status!.podIP], ports: ['portname2/101/TCP'] },
    ]);
    await deletePod(kl, 'ep-multi-1');
    await settle(kl, 'ep-multi', [entry('ep-multi-2', pod2.status!.podIP!, 'portname2', 101)]);
    await deletePod(kl, 'ep-multi-2');
    await settle(kl, 'ep-multi', []);
  });

  it('(5) follows ports added to and removed from the Service', async () => {
    await kl.client.services(NS).create(service('ep-ports', { selector: { app: 'ep-ports' }, ports: [{ name: 'portname1', port: 80, targetPort: 'svc1' }] }));
    const pod1 = await readyPod(kl, helloPod('ep-ports-1', { labels: { app: 'ep-ports' }, ports: [{ name: 'svc1', containerPort: 100 }] }));
    const p1 = entry('ep-ports-1', pod1.status!.podIP!, 'portname1', 100);
    await settle(kl, 'ep-ports', [p1]);
    const svc = await kl.client.services(NS).get('ep-ports');
    await kl.client.services(NS).update({ ...svc, spec: { ...svc.spec, ports: [...svc.spec.ports!, { name: 'portname2', port: 81, targetPort: 'svc2', protocol: 'TCP' }] } });
    const pod2 = await readyPod(kl, helloPod('ep-ports-2', { labels: { app: 'ep-ports' }, ports: [{ name: 'svc2', containerPort: 101 }] }));
    await settle(kl, 'ep-ports', [p1, entry('ep-ports-2', pod2.status!.podIP!, 'portname2', 101)]);
    const svc2 = await kl.client.services(NS).get('ep-ports');
    await kl.client.services(NS).update({ ...svc2, spec: { ...svc2.spec, ports: svc2.spec.ports!.filter((p) => p.name === 'portname1') } });
    await settle(kl, 'ep-ports', [p1]);
    const ep = await kl.client.endpoints(NS).get('ep-ports');
    assert.ok(!JSON.stringify(ep).includes(pod2.status!.podIP!), 'pod2 left the Endpoints with its port');
  });

  it('(31) drops a failed pod even with publishNotReadyAddresses: no subsets, one empty slice, connections refused', async () => {
    await kl.client.services(NS).create(service('ep-failed', { publishNotReadyAddresses: true, selector: { app: 'ep-failed' }, ports: [{ port: 8080, targetPort: 8080 }] }));
    await kl.client.pods(NS).create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'ep-failed-1', namespace: NS, labels: { app: 'ep-failed' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', args: ['sh', '-c', 'sleep 2; exit 1'] }] },
    });
    const running = await until(
      async () => {
        const p = await kl.client.pods(NS).get('ep-failed-1');
        return p.status?.phase === 'Running' && p.status.podIP ? p : undefined;
      },
      { what: 'the pod running' },
    );
    await settle(kl, 'ep-failed', [entry('ep-failed-1', running.status!.podIP!, '', 8080)]);
    const failed = await until(
      async () => {
        const p = await kl.client.pods(NS).get('ep-failed-1');
        return p.status?.phase === 'Failed' ? p : undefined;
      },
      { what: 'the pod Failed' },
    );
    assert.equal(failed.status?.podIP, running.status!.podIP, 'a failed pod keeps its IP in its status');
    const v = await settle(kl, 'ep-failed', []);
    assert.equal(v.sliceCount, 1);
    const [slice] = (await kl.client.endpointSlices(NS).list({ labelSelector: `${SERVICE_NAME_LABEL}=ep-failed` })).items;
    assert.equal((slice!.endpoints ?? []).length, 0);
    assert.equal((await kl.client.endpoints(NS).get('ep-failed')).subsets, undefined);
    const ip = (await kl.client.services(NS).get('ep-failed')).spec.clusterIP!;
    assert.equal(await until(async () => ((await connectResult(ip, 8080)) === 'ECONNREFUSED' ? 'ECONNREFUSED' : undefined), { what: 'the ClusterIP refusing connections' }), 'ECONNREFUSED');
  });

  it('(37) completes the lifecycle of an Endpoints object: watch, label, strategic-merge patch of subsets, deletecollection', async () => {
    const events: string[] = [];
    const rv = (await kl.client.endpoints().list()).metadata.resourceVersion!;
    const w = await kl.client.endpoints().watch({ resourceVersion: rv, labelSelector: 'test-endpoint-static=true' }, (e) => {
      if (e.type !== 'ERROR' && e.type !== 'BOOKMARK') events.push(`${e.type} ${e.object.metadata.name}`);
    });
    try {
      await kl.client.endpoints(NS).create({
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'testservice', namespace: NS, labels: { 'test-endpoint-static': 'true' } },
        subsets: [{ addresses: [{ ip: '10.0.0.24' }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }],
      });
      await until(() => events.includes('ADDED testservice'), { what: 'ADDED' });
      const listed = (await kl.client.endpoints().list({ labelSelector: 'test-endpoint-static=true' })).items.map((e) => `${e.metadata.namespace}/${e.metadata.name}`);
      assert.deepEqual(listed, ['default/testservice']);
      assert.match(kl.k(['label', 'endpoints', 'testservice', 'test-service=updated']), /endpoints\/testservice labeled/);
      assert.equal((await kl.client.endpoints(NS).get('testservice')).metadata.labels?.['test-service'], 'updated');
      const patch = { metadata: { labels: { 'test-service': 'patched' } }, subsets: [{ addresses: [{ ip: '10.0.0.25' }], ports: [{ name: 'http-test', port: 8080 }] }] };
      assert.match(kl.k(['patch', 'endpoints', 'testservice', '--type=strategic', '-p', JSON.stringify(patch)]), /endpoints\/testservice patched/);
      const got = await kl.client.endpoints(NS).get('testservice');
      assert.equal(got.metadata.labels?.['test-service'], 'patched');
      assert.deepEqual(got.subsets, [{ addresses: [{ ip: '10.0.0.25' }], ports: [{ name: 'http-test', port: 8080, protocol: 'TCP' }] }]);
      const del = await kl.raw('DELETE', `/api/v1/namespaces/${NS}/endpoints?labelSelector=test-service%3Dpatched`);
      assert.equal(del.code, 200, del.body);
      await until(() => events.includes('DELETED testservice'), { what: 'DELETED' });
      const gone = await kl.raw('GET', `/api/v1/namespaces/${NS}/endpoints/testservice`);
      assert.equal(gone.code, 404);
      assert.deepEqual(events, ['ADDED testservice', 'MODIFIED testservice', 'MODIFIED testservice', 'DELETED testservice']);
    } finally {
      w.stop();
    }
  });

  it('(41) has Endpoints and EndpointSlices for default/kubernetes pointing at the API server', async () => {
    const ep = await kl.client.endpoints(NS).get('kubernetes');
    assert.ok((ep.subsets ?? []).length >= 1, 'at least one subset');
    const fromEndpoints = (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).flatMap((a) => (s.ports ?? []).map((p) => `${a.ip}:${p.name}/${p.port}/${p.protocol}`))).sort();
    const slices = (await kl.client.endpointSlices(NS).list({ labelSelector: `${SERVICE_NAME_LABEL}=kubernetes` })).items;
    assert.ok(slices.length >= 1);
    const fromSlices = slices.flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses.flatMap((ip) => (s.ports ?? []).map((p) => `${ip}:${p.name}/${p.port}/${p.protocol}`)))).sort();
    assert.deepEqual(fromSlices, fromEndpoints);
    assert.equal(fromEndpoints.length, 1);
    assert.equal(fromEndpoints[0], `${new URL(kl.url).hostname}:https/${new URL(kl.url).port}/TCP`, 'the API server address kubectl uses');
  });

  it('(42) creates Endpoints and one placeholder slice for a selector matching nothing, and deletes both with the Service', async () => {
    const created = await kl.client.services(NS).create(service('ep-nomatch', { selector: { app: 'nothing-has-this' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }));
    const v = await settle(kl, 'ep-nomatch', []);
    assert.equal(v.sliceCount, 1);
    const [slice] = (await kl.client.endpointSlices(NS).list({ labelSelector: `${SERVICE_NAME_LABEL}=ep-nomatch` })).items;
    assert.equal(slice!.metadata.labels?.[MANAGED_BY_LABEL], 'endpointslice-controller.k8s.io');
    assert.match(slice!.metadata.name, new RegExp(`^ep-nomatch-${SAFE}{5}$`));
    assert.deepEqual(slice!.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'ep-nomatch', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(slice!.endpoints, null, 'a placeholder slice carries endpoints: null');
    await kl.client.services(NS).delete('ep-nomatch');
    await until(
      async () => {
        const eps = await kl.raw('GET', `/api/v1/namespaces/${NS}/endpoints/ep-nomatch`);
        const slices = (await kl.client.endpointSlices(NS).list({ labelSelector: `${SERVICE_NAME_LABEL}=ep-nomatch` })).items;
        return eps.code === 404 && slices.length === 0;
      },
      { what: 'Endpoints and slices gone' },
    );
  });

  it('(43) publishes pods matching a Service by int and named targetPort, with pod targetRefs, and recreates deleted slices', async () => {
    const pod3000 = await readyPod(kl, helloPod('pod-3000', { labels: { app: 'ep-named', port3000: '100' }, ports: [{ name: 'example-name', containerPort: 3000 }] }));
    const pod3001 = await readyPod(kl, helloPod('pod-3001', { labels: { app: 'ep-named', port3001: '100' }, ports: [{ name: 'example-name', containerPort: 3001 }] }));
    const publish = { publishNotReadyAddresses: true };
    await kl.client.services(NS).create(service('example-int-port', { ...publish, selector: { port3000: '100' }, ports: [{ name: 'http', port: 80, targetPort: 3000 }] }));
    await kl.client.services(NS).create(service('example-named-port', { ...publish, selector: { app: 'ep-named' }, ports: [{ name: 'http', port: 80, targetPort: 'example-name' }] }));
    await kl.client.services(NS).create(service('example-no-match', { ...publish, selector: { app: 'no-such-pod' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }));

    const intPort = await settle(kl, 'example-int-port', [entry('pod-3000', pod3000.status!.podIP!, 'http', 3000)]);
    assert.equal(intPort.sliceCount, 1);
    assert.equal((await kl.client.endpoints(NS).get('example-int-port')).subsets?.length, 1);

    const want = [entry('pod-3000', pod3000.status!.podIP!, 'http', 3000), entry('pod-3001', pod3001.status!.podIP!, 'http', 3001)];
    const named = await settle(kl, 'example-named-port', want);
    assert.ok(named.sliceCount >= 2, `a slice per resolved port (${named.sliceCount})`);
    assert.equal((await kl.client.endpoints(NS).get('example-named-port')).subsets?.length, 2);
    assert.equal(await assertPodRefs(kl, 'example-named-port'), 4);
    assert.equal(await assertPodRefs(kl, 'example-int-port'), 2);

    const noMatch = await settle(kl, 'example-no-match', []);
    assert.equal(noMatch.sliceCount, 1);
    const [placeholder] = (await kl.client.endpointSlices(NS).list({ labelSelector: `${SERVICE_NAME_LABEL}=example-no-match` })).items;
    assert.equal(placeholder!.ports, null, 'the placeholder slice has no ports');

    const before = (await kl.client.endpointSlices(NS).list({ labelSelector: `${SERVICE_NAME_LABEL}=example-named-port` })).items.map((s) => s.metadata.uid);
    await kl.client.endpointSlices(NS).deleteCollection({ labelSelector: `${SERVICE_NAME_LABEL}=example-named-port` });
    await until(
      async () => {
        const now = (await kl.client.endpointSlices(NS).list({ labelSelector: `${SERVICE_NAME_LABEL}=example-named-port` })).items;
        return now.length >= 2 && now.every((s) => !before.includes(s.metadata.uid));
      },
      { what: 'slices recreated' },
    );
    await settle(kl, 'example-named-port', want);
    assert.equal(await assertPodRefs(kl, 'example-named-port'), 4);
  });

  it('(44) serves the EndpointSlice API: discovery, create, get, list, watch, patch, update, delete, deletecollection', async () => {
    const group = JSON.parse((await kl.raw('GET', '/apis/discovery.k8s.io/v1')).body) as { groupVersion: string; resources: { name: string; namespaced: boolean; kind: string; verbs: string[] }[] };
    assert.equal(group.groupVersion, 'discovery.k8s.io/v1');
    const res = group.resources.find((r) => r.name === 'endpointslices');
    assert.ok(res, 'endpointslices is listed');
    assert.deepEqual([res.kind, res.namespaced], ['EndpointSlice', true]);
    assert.deepEqual([...res.verbs].sort(), ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);

    const label = `special-label=e2e-${process.pid}`;
    const events: string[] = [];
    const rv = (await kl.client.endpointSlices(NS).list()).metadata.resourceVersion!;
    const w = await kl.client.endpointSlices(NS).watch({ resourceVersion: rv, labelSelector: label }, (e) => {
      if (e.type !== 'ERROR' && e.type !== 'BOOKMARK') events.push(e.type);
    });
    try {
      const template = (): EndpointSlice => ({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { generateName: 'e2e-example-ing', namespace: NS, labels: { 'special-label': `e2e-${process.pid}` } },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['1.2.3.4', '5.6.7.8'] }],
        ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
      });
      const made = [];
      for (let i = 0; i < 3; i++) made.push(await kl.client.endpointSlices(NS).create(template()));
      assert.ok(made.every((s) => new RegExp(`^e2e-example-ing${SAFE}{5}$`).test(s.metadata.name)));
      const got = await kl.client.endpointSlices(NS).get(made[0]!.metadata.name);
      assert.deepEqual(got.endpoints?.[0]?.addresses, ['1.2.3.4', '5.6.7.8']);
      assert.equal((await kl.client.endpointSlices(NS).list({ labelSelector: label })).items.length, 3);
      assert.equal((await kl.client.endpointSlices().list({ labelSelector: label })).items.length, 3, 'listed across namespaces');
      await until(() => events.filter((e) => e === 'ADDED').length === 3, { what: 'three ADDED' });

      const patched = await kl.client.endpointSlices(NS).patch(made[0]!.metadata.name, 'merge', { metadata: { annotations: { patched: 'true' } } });
      assert.equal(patched.metadata.annotations?.patched, 'true');
      const updated = await kl.client.endpointSlices(NS).update({ ...patched, metadata: { ...patched.metadata, annotations: { ...patched.metadata.annotations, updated: 'true' } } });
      assert.equal(updated.metadata.annotations?.updated, 'true');
      await until(() => events.filter((e) => e === 'MODIFIED').length === 2, { what: 'two MODIFIED' });

      await kl.client.endpointSlices(NS).delete(made[0]!.metadata.name);
      assert.equal((await kl.client.endpointSlices(NS).list({ labelSelector: label })).items.length, 2);
      await kl.client.endpointSlices(NS).deleteCollection({ labelSelector: label });
      assert.equal((await kl.client.endpointSlices(NS).list({ labelSelector: label })).items.length, 0);
      await until(() => events.filter((e) => e === 'DELETED').length === 3, { what: 'three DELETED' });
      assert.deepEqual(events, ['ADDED', 'ADDED', 'ADDED', 'MODIFIED', 'MODIFIED', 'DELETED', 'DELETED', 'DELETED']);
    } finally {
      w.stop();
    }
  });
});

/**
 * Follows the pods of a selector as a watch sees them (in the store's order) and keeps the
 * fewest that were Ready and not terminating, and the most that were not terminating.
 */
async function watchPods(kl: Kubeloop, selector: string): Promise<{ minReady(): number; maxActive(): number; ready(): number; stop(): void }> {
  const pods = new Map<string, Stored<Pod>>();
  const list = await kl.client.pods(NS).list({ labelSelector: selector });
  for (const p of list.items) pods.set(p.metadata.name, p);
  const active = () => [...pods.values()].filter((p) => !p.metadata.deletionTimestamp);
  const ready = () => active().filter(isReady).length;
  let minReady = ready();
  let maxActive = active().length;
  const w = await kl.client.pods(NS).watch({ resourceVersion: list.metadata.resourceVersion!, labelSelector: selector }, (e) => {
    if (e.type === 'ERROR' || e.type === 'BOOKMARK') return;
    if (e.type === 'DELETED') pods.delete(e.object.metadata.name);
    else pods.set(e.object.metadata.name, e.object);
    minReady = Math.min(minReady, ready());
    maxActive = Math.max(maxActive, active().length);
  });
  return { minReady: () => minReady, maxActive: () => maxActive, ready, stop: () => w.stop() };
}

describe('controllers: the seed Deployment through kubectl', () => {
  let kl: Kubeloop;
  before(async () => {
    kl = await startKubeloop();
  });
  after(async () => {
    await kl?.stop();
  });

  const appPods = async () => (await kl.client.pods(NS).list({ labelSelector: 'app=http-go' })).items;
  const replicaSets = async () => (await kl.client.replicaSets(NS).list({ labelSelector: 'app=http-go' })).items;
  /** Waits until the Deployment has exactly `n` pods, all Ready and none terminating, and returns them. */
  const steady = (n: number) =>
    until(
      async () => {
        const pods = await appPods();
        const d = await kl.client.deployments(NS).get('http-go');
        const done = pods.length === n && pods.every((p) => isReady(p) && !p.metadata.deletionTimestamp) && d.status?.readyReplicas === n && d.status.updatedReplicas === n && (d.status.replicas ?? 0) === n;
        return done ? pods : undefined;
      },
      { what: `${n} ready http-go pods`, ms: 60_000 },
    );
  let hash = '';

  it('kubectl create deployment yields a ReplicaSet and three pods named and labelled like upstream', async () => {
    assert.match(kl.k(['create', 'deployment', 'http-go', '--image=gasbugs/http-go', '--replicas=3']), /deployment\.apps\/http-go created/);
    const pods = await steady(3);
    const [rs, ...more] = await replicaSets();
    assert.equal(more.length, 0);
    hash = rs!.metadata.labels?.['pod-template-hash'] ?? '';
    assert.match(hash, new RegExp(`^${SAFE}{1,10}$`));
    assert.equal(rs!.metadata.name, `http-go-${hash}`);
    assert.equal(rs!.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    const d = await kl.client.deployments(NS).get('http-go');
    assert.deepEqual(rs!.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.uid, o.controller]), [['Deployment', 'http-go', d.metadata.uid, true]]);
    for (const p of pods) {
      assert.match(p.metadata.name, new RegExp(`^http-go-${hash}-${SAFE}{5}$`));
      assert.deepEqual(p.metadata.labels, { app: 'http-go', 'pod-template-hash': hash });
      assert.deepEqual(p.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.uid, o.controller]), [['ReplicaSet', rs!.metadata.name, rs!.metadata.uid, true]]);
    }
    const rows = tableRows(kl.k(['get', 'pods', '-l', 'app=http-go']));
    assert.deepEqual(rows[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(rows.slice(1).map((r) => [r[1], r[2], r[3]]), [['1/1', 'Running', '0'], ['1/1', 'Running', '0'], ['1/1', 'Running', '0']]);
    const deploy = tableRows(kl.k(['get', 'deployment', 'http-go']));
    assert.deepEqual(deploy[1]!.slice(0, 4), ['http-go', '3/3', '3', '3']);
  });

  it('kubectl scale to 5 and back to 2', async () => {
    assert.match(kl.k(['scale', 'deployment', 'http-go', '--replicas=5']), /deployment\.apps\/http-go scaled/);
    const five = await steady(5);
    assert.ok(five.every((p) => p.metadata.labels?.['pod-template-hash'] === hash), 'scaling keeps the ReplicaSet');
    assert.match(kl.k(['scale', 'deployment', 'http-go', '--replicas=2']), /deployment\.apps\/http-go scaled/);
    await steady(2);
    const rs = await replicaSets();
    assert.deepEqual(rs.map((r) => [r.metadata.name, r.spec.replicas, r.status?.replicas]), [[`http-go-${hash}`, 2, 2]]);
  });

  it('kubectl describe shows the events of the deployment, replicaset and scheduler controllers', async () => {
    const deploy = kl.k(['describe', 'deployment', 'http-go']);
    assert.match(deploy, new RegExp(`Normal\\s+ScalingReplicaSet\\s+.+\\s+deployment-controller\\s+Scaled up replica set http-go-${hash} from 0 to 3`));
    assert.match(deploy, new RegExp(`Normal\\s+ScalingReplicaSet\\s+.+\\s+deployment-controller\\s+Scaled up replica set http-go-${hash} from 3 to 5`));
    assert.match(deploy, new RegExp(`Normal\\s+ScalingReplicaSet\\s+.+\\s+deployment-controller\\s+Scaled down replica set http-go-${hash} from 5 to 2`));
    const rs = kl.k(['describe', 'replicaset', `http-go-${hash}`]);
    assert.equal([...rs.matchAll(new RegExp(`Normal\\s+SuccessfulCreate\\s+.+\\s+replicaset-controller\\s+Created pod: http-go-${hash}-${SAFE}{5}`, 'g'))].length, 5);
    assert.equal([...rs.matchAll(new RegExp(`Normal\\s+SuccessfulDelete\\s+.+\\s+replicaset-controller\\s+Deleted pod: http-go-${hash}-${SAFE}{5}`, 'g'))].length, 3);
    const [pod] = await appPods();
    const described = kl.k(['describe', 'pod', pod!.metadata.name]);
    assert.match(described, new RegExp(`Normal\\s+Scheduled\\s+.+\\s+default-scheduler\\s+Successfully assigned default/${pod!.metadata.name} to node0`));
    assert.match(described, /Normal\s+Started\s+.+\s+kubelet\s+Started container http-go/);
    kl.k(['run', 'unschedulable', '--image=busybox', '--overrides={"spec":{"nodeSelector":{"disk":"ssd"}}}', '--', 'sleep', '60']);
    await until(() => /Warning\s+FailedScheduling\s+.+\s+default-scheduler\s+0\/1 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector/.test(kl.k(['describe', 'pod', 'unschedulable'])), { what: 'FailedScheduling' });
    kl.k(['delete', 'pod', 'unschedulable', '--wait=false']);
  });

  it('kubectl rollout restart replaces every pod, never below replicas - maxUnavailable ready, and rollout status finishes', async () => {
    const d = await kl.client.deployments(NS).get('http-go');
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    const floor = 2 - Math.floor(2 * 0.25); // maxUnavailable 25% of 2 rounds down to 0
    const ceiling = 2 + Math.ceil(2 * 0.25); // maxSurge 25% of 2 rounds up to 1
    const watched = await watchPods(kl, 'app=http-go');
    try {
      // A readiness probe makes each new pod Running-but-not-Ready for a moment, so a rollout
      // that did not wait for availability would show.
      const probe = { readinessProbe: { httpGet: { path: '/', port: 8080 }, initialDelaySeconds: 1, periodSeconds: 1 } };
      kl.k(['patch', 'deployment', 'http-go', '-p', JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'http-go', ...probe }] } } } })]);
      assert.match(kl.k(['rollout', 'status', 'deployment/http-go', '--timeout=120s']), /deployment "http-go" successfully rolled out/);
      const before = (await steady(2)).map((p) => p.metadata.name);
      assert.match(kl.k(['rollout', 'restart', 'deployment/http-go']), /deployment\.apps\/http-go restarted/);
      const status = kl.kubectl(['rollout', 'status', 'deployment/http-go', '--timeout=120s'], { timeoutMs: 130_000 });
      assert.equal(status.code, 0, status.stderr);
      assert.match(status.stdout, /deployment "http-go" successfully rolled out/);
      const afterPods = await steady(2);
      assert.ok(afterPods.every((p) => !before.includes(p.metadata.name)), 'every pod was replaced');
      assert.ok(afterPods.every((p) => p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']), 'the new pods carry restartedAt');
      assert.ok(watched.minReady() >= floor, `ready pods dropped to ${watched.minReady()} during the rollouts (at least ${floor} must stay ready)`);
      assert.ok(watched.maxActive() <= ceiling, `${watched.maxActive()} pods ran at once during the rollouts (at most ${ceiling})`);
      assert.equal(watched.ready(), 2);
    } finally {
      watched.stop();
    }
    assert.equal((await replicaSets()).length, 3, 'one ReplicaSet per template');
  });

  it('kubectl rollout history, set image and rollout undo', async () => {
    const history = tableRows(kl.k(['rollout', 'history', 'deployment/http-go']));
    assert.deepEqual(history.slice(1).map((r) => r[0]), ['REVISION', '1', '2', '3']);
    assert.match(kl.k(['set', 'image', 'deployment/http-go', 'http-go=kubeloop/hello:v2']), /deployment\.apps\/http-go image updated/);
    assert.match(kl.k(['rollout', 'status', 'deployment/http-go', '--timeout=120s']), /successfully rolled out/);
    const v2 = await steady(2);
    assert.ok(v2.every((p) => p.spec.containers[0]!.image === 'kubeloop/hello:v2'));
    assert.match(kl.k(['rollout', 'history', 'deployment/http-go', '--revision=4']), /Image:\s+kubeloop\/hello:v2/);
    const before = (await replicaSets()).map((r) => r.metadata.name).sort();
    assert.equal(before.length, 4);

    assert.match(kl.k(['rollout', 'undo', 'deployment/http-go']), /deployment\.apps\/http-go rolled back/);
    assert.match(kl.k(['rollout', 'status', 'deployment/http-go', '--timeout=120s']), /successfully rolled out/);
    const back = await steady(2);
    assert.ok(back.every((p) => p.spec.containers[0]!.image === 'gasbugs/http-go'));
    assert.equal((await kl.client.deployments(NS).get('http-go')).spec.template.spec.containers[0]!.image, 'gasbugs/http-go');
    assert.deepEqual((await replicaSets()).map((r) => r.metadata.name).sort(), before, 'undo scales the earlier ReplicaSet back up instead of making one');
    const revisions = tableRows(kl.k(['rollout', 'history', 'deployment/http-go'])).slice(2).map((r) => r[0]);
    assert.deepEqual(revisions, ['1', '2', '4', '5'], 'revision 3 became revision 5');
    const current = (await replicaSets()).find((r) => (r.spec.replicas ?? 0) > 0);
    assert.equal(current?.metadata.annotations?.['deployment.kubernetes.io/revision'], '5');
  });

  it('deleting the Deployment removes its ReplicaSets and pods', async () => {
    assert.ok((await replicaSets()).length > 1);
    assert.match(kl.k(['delete', 'deployment', 'http-go']), /deployment\.apps "http-go" deleted/);
    await until(async () => (await replicaSets()).length === 0 && (await appPods()).length === 0, { what: 'ReplicaSets and pods gone', ms: 30_000 });
  });

  it('deleting a namespace empties it', async () => {
    kl.k(['create', 'namespace', 'doomed']);
    kl.k(['-n', 'doomed', 'create', 'deployment', 'web', '--image=gasbugs/http-go', '--replicas=2']);
    kl.k(['-n', 'doomed', 'expose', 'deployment', 'web', '--port=80', '--target-port=8080']);
    kl.k(['-n', 'doomed', 'create', 'configmap', 'cfg', '--from-literal=a=b']);
    kl.k(['-n', 'doomed', 'create', 'secret', 'generic', 'sec', '--from-literal=k=v']);
    await until(
      async () => {
        const pods = (await kl.client.pods('doomed').list()).items;
        return pods.length === 2 && pods.every(isReady);
      },
      { what: 'two ready pods in doomed' },
    );
    await until(async () => (await kl.client.endpointSlices('doomed').list()).items.some((s) => (s.endpoints ?? []).length === 2), { what: 'the Service published' });
    const r = kl.kubectl(['delete', 'namespace', 'doomed'], { timeoutMs: 90_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /namespace "doomed" deleted/);
    const gone = kl.kubectl(['get', 'namespace', 'doomed']);
    assert.match(gone.stderr, /namespaces "doomed" not found/);
    const c = kl.client;
    const left = await Promise.all([c.pods('doomed'), c.deployments('doomed'), c.replicaSets('doomed'), c.services('doomed'), c.endpoints('doomed'), c.endpointSlices('doomed'), c.configMaps('doomed'), c.secrets('doomed'), c.serviceAccounts('doomed'), c.events('doomed')].map(async (rc) => (await rc.list()).items.map((o) => `${rc.type.plural}/${o.metadata.name}`)));
    assert.deepEqual(left.flat(), []);
  });
});
