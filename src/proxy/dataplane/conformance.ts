// The data-plane conformance suite (STYLE.md 8): every data plane runs it through the whole proxy
// pipeline (Services and EndpointSlices written through the API, real sockets on 127.0.0.0/8).
// Each test is one behaviour from reference §4 / §7, named as a specification.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EndpointSlice, Service, Stored } from '../../api/index.js';
import { memoryApi, type MemoryApi } from '../../testing/index.js';
import {
  distribution,
  echoServer,
  nameServer,
  service,
  slice,
  SkewClock,
  tcpRequest,
  udpNameServer,
  udpRequest,
  whoAnswers,
  type EndpointFixture,
  type ServiceFixture,
} from '../_testkit.js';
import { startProxy, type RunningProxy } from '../index.js';
import type { DataPlaneFactory } from './types.js';
import net from 'node:net';

export interface ConformanceOptions {
  name: string;
  factory: DataPlaneFactory;
  /** Third octet of the 127.244.x.0/24 pod CIDRs used (node0 = base, node1 = base+1); default 200. */
  base?: number;
  /** Second-to-last octet for ClusterIPs 127.96.<n>.x; default 10. */
  serviceNet?: number;
}

export function dataPlaneConformance(o: ConformanceOptions): void {
  const b = o.base ?? 200;
  const pod = (node: 0 | 1, i: number) => `127.244.${b + node}.${i}`;
  const nodeIP = (node: 0 | 1) => `127.245.${b + node}.1`;
  const vip = (i: number) => `127.96.${o.serviceNet ?? 10}.${i}`;
  const BACKEND_PORT = 8080;

  describe(`data plane conformance: ${o.name}`, () => {
    let api: MemoryApi;
    let proxy: RunningProxy;
    const clock = new SkewClock();
    let rnd: (() => number) | undefined;
    const cleanups: (() => Promise<void>)[] = [];

    before(async () => {
      api = await memoryApi();
      proxy = await startProxy({
        client: api.client,
        nodes: [
          { name: 'node0', ips: [nodeIP(0)], podCIDR: `127.244.${b}.0/24` },
          { name: 'node1', ips: [nodeIP(1)], podCIDR: `127.244.${b + 1}.0/24` },
        ],
        clock,
        random: () => (rnd ?? Math.random)(),
        dataPlane: o.factory,
      });
    });
    after(async () => {
      for (const c of cleanups.splice(0)) await c();
      await proxy.stop();
      await api.close();
    });

    const svcs = () => api.client.services('default');
    const slices = () => api.client.endpointSlices('default');
    async function createService(f: ServiceFixture): Promise<Stored<Service>> {
      const s = await svcs().create(service(f));
      await proxy.flush();
      return s;
    }
    async function setEndpoints(svc: string, endpoints: EndpointFixture[], port = BACKEND_PORT, protocol: 'TCP' | 'UDP' = 'TCP'): Promise<void> {
      const want = slice({ service: svc, port, protocol, endpoints });
      let cur: Stored<EndpointSlice> | undefined;
      try {
        cur = await slices().get(want.metadata.name!);
      } catch {
        cur = undefined;
      }
      if (cur) await slices().update({ ...want, metadata: { ...cur.metadata } });
      else await slices().create(want);
      await proxy.flush();
    }
    async function names(...specs: [0 | 1, number, string][]): Promise<void> {
      for (const [node, i, name] of specs) {
        const s = await nameServer(pod(node, i), BACKEND_PORT, name);
        cleanups.push(s.close);
      }
    }

    it('serves a ClusterIP from its endpoints as pods come and go, and refuses once none is left (§7.3)', async () => {
      await createService({ name: 'basic', clusterIP: vip(1), ports: [{ port: 18001, targetPort: BACKEND_PORT }] });
      await setEndpoints('basic', []);
      assert.equal((await tcpRequest(vip(1), 18001)).kind, 'refused');
      await names([0, 11, 'pod1'], [1, 12, 'pod2']);
      await setEndpoints('basic', [{ ip: pod(0, 11), node: 'node0' }]);
      assert.deepEqual([...(await distribution(vip(1), 18001, 10)).keys()], ['pod1']);
      await setEndpoints('basic', [{ ip: pod(0, 11), node: 'node0' }, { ip: pod(1, 12), node: 'node1' }]);
      assert.deepEqual([...(await distribution(vip(1), 18001, 40)).keys()].sort(), ['pod1', 'pod2']);
      await setEndpoints('basic', [{ ip: pod(1, 12), node: 'node1' }]);
      assert.deepEqual([...(await distribution(vip(1), 18001, 10)).keys()], ['pod2']);
      await setEndpoints('basic', []);
      assert.equal((await tcpRequest(vip(1), 18001)).kind, 'refused');
    });

    it('spreads new connections uniformly at random over the ready endpoints', async () => {
      await names([0, 21, 'd1'], [0, 22, 'd2'], [1, 23, 'd3']);
      await createService({ name: 'spread', clusterIP: vip(2), ports: [{ port: 18002, targetPort: BACKEND_PORT }] });
      await setEndpoints('spread', [
        { ip: pod(0, 21), node: 'node0' },
        { ip: pod(0, 22), node: 'node0' },
        { ip: pod(1, 23), node: 'node1' },
      ]);
      const counts = await distribution(vip(2), 18002, 300, { batch: 20 });
      // Expected 100 each; [60, 140] is about ±4.9 standard deviations.
      for (const n of ['d1', 'd2', 'd3']) {
        const c = counts.get(n) ?? 0;
        assert.ok(c >= 60 && c <= 140, `d1..d3 should each get 60..140 of 300, got ${JSON.stringify([...counts])}`);
      }
    });

    it('refuses at once (not a timeout) a Service without endpoints, and an undefined port of a ClusterIP (§7.30)', async () => {
      await createService({ name: 'empty', clusterIP: vip(3), ports: [{ port: 18003, targetPort: BACKEND_PORT }] });
      await setEndpoints('empty', []);
      const r = await tcpRequest(vip(3), 18003, { timeoutMs: 1000 });
      assert.equal(r.kind, 'refused');
      assert.ok(r.ms < 100, `refused after ${r.ms} ms`);
      await names([0, 31, 'up']);
      await setEndpoints('empty', [{ ip: pod(0, 31), node: 'node0' }]);
      assert.equal((await whoAnswers(vip(3), 18003)).name, 'up');
      const other = await tcpRequest(vip(3), 18004, { timeoutMs: 1000 });
      assert.equal(other.kind, 'refused');
      assert.ok(other.ms < 100, `undefined port refused after ${other.ms} ms`);
    });

    it('falls back to serving terminating endpoints only while no endpoint is ready (§7.21–23, §7.34)', async () => {
      await names([0, 41, 'old'], [1, 42, 'new']);
      await createService({ name: 'term', clusterIP: vip(4), ports: [{ port: 18005, targetPort: BACKEND_PORT }] });
      await setEndpoints('term', [{ ip: pod(0, 41), node: 'node0', ready: false, serving: true, terminating: true }]);
      for (const c of [pod(0, 99), pod(1, 99)]) assert.equal((await whoAnswers(vip(4), 18005, { localAddress: c })).name, 'old');
      await setEndpoints('term', [
        { ip: pod(0, 41), node: 'node0', ready: false, serving: true, terminating: true },
        { ip: pod(1, 42), node: 'node1' },
      ]);
      assert.deepEqual([...(await distribution(vip(4), 18005, 20)).keys()], ['new']);
      await setEndpoints('term', [{ ip: pod(0, 41), node: 'node0', ready: false, serving: false, terminating: true }]);
      assert.equal((await tcpRequest(vip(4), 18005)).kind, 'refused');
    });

    it('keeps a ClientIP client on one endpoint while spreading different clients (§7.24)', async () => {
      await names([0, 51, 'a1'], [0, 52, 'a2'], [1, 53, 'a3']);
      await createService({ name: 'sticky', clusterIP: vip(5), ports: [{ port: 18006, targetPort: BACKEND_PORT }], affinitySeconds: 100 });
      await setEndpoints('sticky', [
        { ip: pod(0, 51), node: 'node0' },
        { ip: pod(0, 52), node: 'node0' },
        { ip: pod(1, 53), node: 'node1' },
      ]);
      const one = await distribution(vip(5), 18006, 15, { localAddress: pod(0, 200), batch: 1 });
      assert.equal(one.size, 1, `one client should stick to one endpoint: ${JSON.stringify([...one])}`);
      const many = await distribution(vip(5), 18006, 30, { localAddress: (i) => pod(1, 100 + i), batch: 5 });
      assert.ok(many.size >= 2, `30 clients should not all land on one endpoint: ${JSON.stringify([...many])}`);
      const table = await proxy.query.affinity('default', 'sticky');
      assert.equal(table.length, 31);
      assert.ok(table.every((e) => e.remainingMs > 0 && e.remainingMs <= 100_000));
    });

    it('expires affinity timeoutSeconds after the last new connection, by the injected clock (§7.25)', async () => {
      await names([0, 61, 'x1'], [0, 62, 'x2'], [1, 63, 'x3']);
      await createService({ name: 'expire', clusterIP: vip(6), ports: [{ port: 18007, targetPort: BACKEND_PORT }], affinitySeconds: 10 });
      await setEndpoints('expire', [
        { ip: pod(0, 61), node: 'node0' },
        { ip: pod(0, 62), node: 'node0' },
        { ip: pod(1, 63), node: 'node1' },
      ]);
      const client = { localAddress: pod(0, 201) };
      try {
        rnd = () => 0;
        assert.equal((await whoAnswers(vip(6), 18007, client)).name, 'x1');
        rnd = () => 0.99;
        assert.equal((await whoAnswers(vip(6), 18007, client)).name, 'x1', 'affinity wins over a random pick');
        clock.advance(6_000);
        assert.equal((await whoAnswers(vip(6), 18007, client)).name, 'x1', 'a new connection refreshes the entry');
        clock.advance(6_000);
        assert.equal((await whoAnswers(vip(6), 18007, client)).name, 'x1', '6 s after the refresh it is still bound');
        const [entry] = await proxy.query.affinity('default', 'expire');
        assert.ok(entry && entry.remainingMs <= 10_000 && entry.remainingMs > 9_000, JSON.stringify(entry));
        clock.advance(10_001);
        assert.equal((await proxy.query.affinity('default', 'expire')).length, 0, 'expired entries are not listed');
        assert.equal((await whoAnswers(vip(6), 18007, client)).name, 'x3', 'after expiry the next connection is balanced again');
      } finally {
        rnd = undefined;
      }
    });

    it('switches session affinity off and on for the next connection (§7.26)', async () => {
      await names([0, 71, 's1'], [0, 72, 's2'], [1, 73, 's3']);
      const created = await createService({ name: 'switch', clusterIP: vip(7), ports: [{ port: 18008, targetPort: BACKEND_PORT }], affinitySeconds: 1000 });
      await setEndpoints('switch', [
        { ip: pod(0, 71), node: 'node0' },
        { ip: pod(0, 72), node: 'node0' },
        { ip: pod(1, 73), node: 'node1' },
      ]);
      const client = { localAddress: pod(0, 202), batch: 1 };
      assert.equal((await distribution(vip(7), 18008, 15, client)).size, 1);
      const cur = await svcs().get('switch');
      await svcs().update({ ...cur, spec: { ...cur.spec, sessionAffinity: 'None', sessionAffinityConfig: undefined } });
      await proxy.flush();
      assert.ok((await distribution(vip(7), 18008, 30, client)).size > 1, 'with None one client reaches several endpoints');
      const again = await svcs().get('switch');
      await svcs().update({ ...again, spec: { ...again.spec, sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 1000 } } } });
      await proxy.flush();
      assert.equal((await distribution(vip(7), 18008, 15, client)).size, 1);
      assert.ok(created.metadata.uid);
    });

    it("clears a client's affinity when its endpoint leaves the Service", async () => {
      await names([0, 81, 'c1'], [0, 82, 'c2']);
      await createService({ name: 'clear', clusterIP: vip(8), ports: [{ port: 18009, targetPort: BACKEND_PORT }], affinitySeconds: 1000 });
      await setEndpoints('clear', [{ ip: pod(0, 81), node: 'node0' }, { ip: pod(0, 82), node: 'node0' }]);
      const client = { localAddress: pod(0, 203) };
      try {
        rnd = () => 0;
        assert.equal((await whoAnswers(vip(8), 18009, client)).name, 'c1');
        await setEndpoints('clear', [{ ip: pod(0, 82), node: 'node0' }]);
        assert.deepEqual(await proxy.query.affinity('default', 'clear'), [], 'the entry for the removed endpoint is gone');
        await setEndpoints('clear', [{ ip: pod(0, 81), node: 'node0' }, { ip: pod(0, 82), node: 'node0' }]);
        rnd = () => 0.99;
        assert.equal((await whoAnswers(vip(8), 18009, client)).name, 'c2');
        assert.deepEqual((await proxy.query.affinity('default', 'clear')).map((e) => e.endpoint), [`${pod(0, 82)}:${BACKEND_PORT}`]);
      } finally {
        rnd = undefined;
      }
    });

    it('serves a NodePort on every node address and shares affinity with the ClusterIP (§7.11, §7.27)', async () => {
      await names([0, 91, 'n1'], [1, 92, 'n2']);
      await createService({ name: 'np', type: 'NodePort', clusterIP: vip(9), ports: [{ port: 18010, targetPort: BACKEND_PORT, nodePort: 30810 }], affinitySeconds: 1000 });
      await setEndpoints('np', [{ ip: pod(0, 91), node: 'node0' }, { ip: pod(1, 92), node: 'node1' }]);
      const client = pod(1, 204);
      const first = (await whoAnswers(vip(9), 18010, { localAddress: client })).name;
      for (const addr of [nodeIP(0), nodeIP(1)]) {
        for (let i = 0; i < 5; i++) assert.equal((await whoAnswers(addr, 30810, { localAddress: client })).name, first);
      }
      const spread = await distribution(nodeIP(0), 30810, 30, { localAddress: (i) => pod(0, 100 + i), batch: 5 });
      assert.equal(spread.size, 2);
    });

    it('internalTrafficPolicy Local serves clients on the endpoint node and silently drops the others (§7.32, §7.35)', async () => {
      await names([0, 101, 'local']);
      await createService({ name: 'itp', clusterIP: vip(10), ports: [{ port: 18011, targetPort: BACKEND_PORT }], internalTrafficPolicy: 'Local' });
      await setEndpoints('itp', [{ ip: pod(0, 101), node: 'node0' }]);
      assert.equal((await whoAnswers(vip(10), 18011, { localAddress: pod(0, 150) })).name, 'local');
      assert.equal((await whoAnswers(vip(10), 18011, { localAddress: nodeIP(0) })).name, 'local');
      const other = await tcpRequest(vip(10), 18011, { localAddress: pod(1, 150), timeoutMs: 300 });
      assert.equal(other.kind, 'silent', `node1 client must get no answer, got ${JSON.stringify(other)}`);
      // The only endpoint terminating: still served on its node, still dropped elsewhere.
      await setEndpoints('itp', [{ ip: pod(0, 101), node: 'node0', ready: false, serving: true, terminating: true }]);
      assert.equal((await whoAnswers(vip(10), 18011, { localAddress: pod(0, 151) })).name, 'local');
      assert.equal((await tcpRequest(vip(10), 18011, { localAddress: pod(1, 151), timeoutMs: 300 })).kind, 'silent');
    });

    it('externalTrafficPolicy Local serves a NodePort only from nodes with a local endpoint (§7.36)', async () => {
      await names([0, 111, 'etp']);
      await createService({ name: 'etp', type: 'NodePort', clusterIP: vip(11), ports: [{ port: 18012, targetPort: BACKEND_PORT, nodePort: 30812 }], externalTrafficPolicy: 'Local' });
      await setEndpoints('etp', [{ ip: pod(0, 111), node: 'node0' }]);
      for (const c of [pod(0, 160), pod(1, 160)]) assert.equal((await whoAnswers(nodeIP(0), 30812, { localAddress: c })).name, 'etp');
      const r = await tcpRequest(nodeIP(1), 30812, { localAddress: pod(0, 161), timeoutMs: 300 });
      assert.equal(r.kind, 'silent', `node0's client must not be served by node1's nodePort: ${JSON.stringify(r)}`);
      const cur = await svcs().get('etp');
      await svcs().update({ ...cur, spec: { ...cur.spec, externalTrafficPolicy: 'Cluster' } });
      await proxy.flush();
      assert.equal((await whoAnswers(nodeIP(1), 30812, { localAddress: pod(0, 162) })).name, 'etp');
    });

    it("shows backends the client's own address and lets a pod reach itself through its Service (§7.8, §7.7)", async () => {
      await names([0, 121, 'self']);
      await createService({ name: 'src', clusterIP: vip(12), ports: [{ port: 18013, targetPort: BACKEND_PORT }] });
      await setEndpoints('src', [{ ip: pod(0, 121), node: 'node0' }]);
      assert.deepEqual(await whoAnswers(vip(12), 18013, { localAddress: pod(1, 170) }), { name: 'self', peer: pod(1, 170) });
      assert.deepEqual(await whoAnswers(vip(12), 18013, { localAddress: pod(0, 121) }), { name: 'self', peer: pod(0, 121) });
    });

    it('tries another endpoint when the chosen one refuses, and resets the client only when all do', async () => {
      await names([0, 132, 'alive']);
      await createService({ name: 'retry', clusterIP: vip(13), ports: [{ port: 18014, targetPort: BACKEND_PORT }] });
      await setEndpoints('retry', [{ ip: pod(0, 131), node: 'node0' }, { ip: pod(0, 132), node: 'node0' }]);
      assert.deepEqual([...(await distribution(vip(13), 18014, 20)).keys()], ['alive']);
      await setEndpoints('retry', [{ ip: pod(0, 131), node: 'node0' }]);
      const r = await tcpRequest(vip(13), 18014, { timeoutMs: 3000 });
      assert.ok(r.kind === 'reset' || r.kind === 'refused', `expected a reset, got ${JSON.stringify(r)}`);
      assert.ok(r.ms < 1000, `failed after ${r.ms} ms`);
      const [sp] = await proxy.query.service('default', 'retry');
      assert.ok(sp && sp.refused >= 1);
    });

    it('forwards UDP per client flow from the service address, and refuses UDP without endpoints', async () => {
      const u = await udpNameServer(pod(0, 141), 5353, 'dns');
      cleanups.push(u.close);
      await createService({ name: 'udp', clusterIP: vip(14), ports: [{ name: 'dns', port: 18015, protocol: 'UDP', targetPort: 5353 }] });
      await slices().create(slice({ service: 'udp', portName: 'dns', port: 5353, protocol: 'UDP', endpoints: [{ ip: pod(0, 141), node: 'node0' }] }));
      await proxy.flush();
      assert.equal(await udpRequest(vip(14), 18015, 'q1', { localAddress: pod(1, 180) }), `dns ${pod(1, 180)} q1`);
      assert.equal(await udpRequest(vip(14), 18015, 'q2', { localAddress: pod(1, 181) }), `dns ${pod(1, 181)} q2`);
      await createService({ name: 'udp-none', clusterIP: vip(15), ports: [{ port: 18016, protocol: 'UDP', targetPort: 5353 }] });
      assert.equal(await udpRequest(vip(15), 18016, 'q'), 'refused');
    });

    it('never cuts an established connection when its endpoint is removed', async () => {
      const e = await echoServer(pod(0, 151), BACKEND_PORT, 'e1');
      cleanups.push(e.close);
      await createService({ name: 'keep', clusterIP: vip(16), ports: [{ port: 18017, targetPort: BACKEND_PORT }] });
      await setEndpoints('keep', [{ ip: pod(0, 151), node: 'node0' }]);
      const s = net.connect({ host: vip(16), port: 18017 });
      cleanups.push(async () => void s.destroy());
      let got = '';
      s.on('data', (d) => (got += d.toString()));
      const waitFor = async (text: string) => {
        for (let i = 0; i < 200 && !got.includes(text); i++) await new Promise((r) => setTimeout(r, 10));
        assert.ok(got.includes(text), `expected ${text} in ${got}`);
      };
      s.write('one;');
      await waitFor('e1:one;');
      await setEndpoints('keep', []);
      assert.equal((await tcpRequest(vip(16), 18017)).kind, 'refused', 'new connections are refused');
      s.write('two;');
      await waitFor('two;');
      const [sp] = await proxy.query.service('default', 'keep');
      assert.deepEqual(sp?.endpoints.map((x) => [x.endpoint, x.removed, x.activeConnections]), [[`${pod(0, 151)}:${BACKEND_PORT}`, true, 1]]);
      s.destroy();
    });

    it('serves nothing for Services labelled service-proxy-name or headless, headless or ExternalName (§7.28, §7.29)', async () => {
      await names([1, 161, 'lbl']);
      await createService({ name: 'labelled', clusterIP: vip(17), ports: [{ port: 18018, targetPort: BACKEND_PORT }], labels: { 'service.kubernetes.io/service-proxy-name': 'foo-bar' } });
      await setEndpoints('labelled', [{ ip: pod(1, 161), node: 'node1' }]);
      assert.equal((await tcpRequest(vip(17), 18018)).kind, 'refused');
      const cur = await svcs().get('labelled');
      const updated = await svcs().update({ ...cur, metadata: { ...cur.metadata, labels: {} } });
      await proxy.flush();
      assert.equal((await whoAnswers(vip(17), 18018)).name, 'lbl');
      await svcs().update({ ...updated, metadata: { ...updated.metadata, labels: { 'service.kubernetes.io/headless': '' } } });
      await proxy.flush();
      assert.equal((await tcpRequest(vip(17), 18018)).kind, 'refused');
      await svcs().create({ ...service({ name: 'hl', clusterIP: 'None', ports: [{ port: 18019 }] }) });
      await svcs().create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
      await proxy.flush();
      const names2 = (await proxy.query.servicePorts()).map((s) => s.name);
      for (const n of ['labelled', 'hl', 'ext']) assert.ok(!names2.includes(n), `${n} must not be programmed`);
    });

    it('serves each Service only from its own pods, stops serving a deleted one, and serves a recreated one (§7.9, §7.10)', async () => {
      await names([0, 171, 'a1'], [1, 172, 'a2'], [0, 173, 'b1']);
      await createService({ name: 'up-a', clusterIP: vip(20), ports: [{ port: 18020, targetPort: BACKEND_PORT }] });
      await createService({ name: 'up-b', clusterIP: vip(21), ports: [{ port: 18020, targetPort: BACKEND_PORT }] });
      await setEndpoints('up-a', [{ ip: pod(0, 171), node: 'node0' }, { ip: pod(1, 172), node: 'node1' }]);
      await setEndpoints('up-b', [{ ip: pod(0, 173), node: 'node0' }]);
      assert.deepEqual([...(await distribution(vip(20), 18020, 30)).keys()].sort(), ['a1', 'a2']);
      assert.deepEqual([...(await distribution(vip(21), 18020, 10)).keys()], ['b1']);
      await svcs().delete('up-a');
      await proxy.flush();
      assert.equal((await tcpRequest(vip(20), 18020)).kind, 'refused');
      assert.equal((await whoAnswers(vip(21), 18020)).name, 'b1');
      await createService({ name: 'up-a', clusterIP: vip(22), ports: [{ port: 18020, targetPort: BACKEND_PORT }] });
      assert.deepEqual([...(await distribution(vip(22), 18020, 30)).keys()].sort(), ['a1', 'a2']);
    });

    it('serves LoadBalancer ingress IPs and externalIPs like the ClusterIP', async () => {
      await names([0, 181, 'lb']);
      const created = await createService({
        name: 'lb',
        type: 'LoadBalancer',
        clusterIP: vip(23),
        ports: [{ port: 18021, targetPort: BACKEND_PORT, nodePort: 30821 }],
        externalIPs: [`127.246.${b}.1`],
      });
      await setEndpoints('lb', [{ ip: pod(0, 181), node: 'node0' }]);
      await svcs().updateStatus({ ...created, status: { loadBalancer: { ingress: [{ ip: `127.250.0.${b}`, ipMode: 'VIP' }] } } });
      await proxy.flush();
      for (const addr of [vip(23), `127.246.${b}.1`, `127.250.0.${b}`]) assert.equal((await whoAnswers(addr, 18021)).name, 'lb', addr);
      assert.equal((await whoAnswers(nodeIP(1), 30821)).name, 'lb');
    });
  });
}
