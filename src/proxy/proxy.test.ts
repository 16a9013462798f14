// The assembled proxy (startProxy): health-check node ports, metrics, ports it cannot serve.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eventually, memoryApi, type MemoryApi } from '../testing/index.js';
import { nameServer, service, slice, whoAnswers } from './_testkit.js';
import { startProxy, type RunningProxy } from './index.js';

const NODE0 = '127.245.210.1';
const NODE1 = '127.245.211.1';
const pod = (node: 0 | 1, i: number) => `127.244.${210 + node}.${i}`;
const vip = (i: number) => `127.96.12.${i}`;

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

describe('startProxy', () => {
  let api: MemoryApi;
  let proxy: RunningProxy;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    api = await memoryApi();
    proxy = await startProxy({
      client: api.client,
      nodes: [
        { name: 'node0', ips: [NODE0], podCIDR: '127.244.210.0/24' },
        { name: 'node1', ips: [NODE1], podCIDR: '127.244.211.0/24' },
      ],
      metricsAddress: { host: '127.0.0.1', port: 0 },
    });
  });
  after(async () => {
    for (const c of closers.splice(0)) await c();
    await proxy.stop();
    await api.close();
  });

  it('answers healthCheckNodePort with 200 on nodes with a local ready endpoint and 503 elsewhere or with only terminating ones (§7.33)', async () => {
    const b = await nameServer(pod(0, 11), 8080, 'hc');
    closers.push(b.close);
    const svc = service({ name: 'hc', type: 'LoadBalancer', clusterIP: vip(1), ports: [{ port: 18101, targetPort: 8080, nodePort: 30901 }], externalTrafficPolicy: 'Local', healthCheckNodePort: 31901 });
    await api.client.services('default').create(svc);
    await api.client.endpointSlices('default').create(slice({ service: 'hc', port: 8080, endpoints: [{ ip: pod(0, 11), node: 'node0' }] }));
    await proxy.flush();
    const ok = await get(`http://${NODE0}:31901/healthz`);
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), { service: { namespace: 'default', name: 'hc' }, localEndpoints: 1, serviceProxyHealthy: true });
    assert.equal((await get(`http://${NODE1}:31901/healthz`)).status, 503);
    const cur = await api.client.endpointSlices('default').get('hc-abcde');
    await api.client.endpointSlices('default').update({ ...slice({ service: 'hc', port: 8080, endpoints: [{ ip: pod(0, 11), node: 'node0', ready: false, serving: true, terminating: true }] }), metadata: cur.metadata });
    await proxy.flush();
    assert.equal((await get(`http://${NODE0}:31901/healthz`)).status, 503);
    assert.equal((await whoAnswers(NODE0, 30901, { localAddress: pod(1, 50) })).name, 'hc', 'the terminating endpoint still serves node0’s nodePort');
    await api.client.services('default').delete('hc');
    await proxy.flush();
    await assert.rejects(get(`http://${NODE0}:31901/healthz`), /ECONNREFUSED/);
  });

  it('exposes per-endpoint counters, sync durations and change latency as Prometheus text, also over HTTP', async () => {
    const b = await nameServer(pod(1, 21), 8080, 'm');
    closers.push(b.close);
    await api.client.services('default').create(service({ name: 'metrics', clusterIP: vip(2), ports: [{ name: 'http', port: 18102, targetPort: 8080 }] }));
    await api.client.endpointSlices('default').create(slice({ service: 'metrics', portName: 'http', port: 8080, endpoints: [{ ip: pod(1, 21), node: 'node1' }] }));
    await proxy.flush();
    for (let i = 0; i < 3; i++) await whoAnswers(vip(2), 18102);
    const labels = `namespace="default",service="metrics",port="http",protocol="TCP",endpoint="${pod(1, 21)}:8080"`;
    const text = await eventually(async () => {
      const t = await proxy.metricsText();
      return t.includes(`kubeloop_proxy_endpoint_connections_total{${labels}} 3`) && t.includes(`kubeloop_proxy_endpoint_active_connections{${labels}} 0`) ? t : undefined;
    });
    assert.match(text, new RegExp(`kubeloop_proxy_endpoint_bytes_out_total\\{${labels.replace(/[.]/g, '\\.')}\\} [1-9]`));
    assert.match(text, /kubeloop_proxy_sync_duration_seconds_count [1-9]/);
    assert.match(text, /kubeloop_proxy_change_to_programmed_seconds_bucket\{le="0.01"\} [1-9]/);
    assert.match(text, /kubeloop_proxy_service_refused_total\{namespace="default",service="metrics",port="http",protocol="TCP"\} 0/);
    assert.ok(proxy.metricsUrl);
    const overHttp = await get(proxy.metricsUrl);
    assert.equal(overHttp.status, 200);
    assert.match(overHttp.body, /kubeloop_proxy_endpoint_connections_total/);
    const [sp] = await proxy.query.service('default', 'metrics');
    assert.deepEqual(sp?.frontends.map((f) => [f.kind, f.address, f.port, f.state]), [['ClusterIP', vip(2), 18102, 'listening']]);
  });

  it('reports an address it cannot serve through the query and a Warning event, without failing, and serves it once free', async () => {
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(18103, vip(3), () => r()));
    const b = await nameServer(pod(0, 31), 8080, 'later');
    closers.push(b.close);
    await api.client.services('default').create(service({ name: 'busy', clusterIP: vip(3), ports: [{ port: 18103, targetPort: 8080 }] }));
    await api.client.endpointSlices('default').create(slice({ service: 'busy', port: 8080, endpoints: [{ ip: pod(0, 31), node: 'node0' }] }));
    await proxy.flush();
    const [u] = proxy.query.unserved();
    assert.equal(u?.code, 'EADDRINUSE');
    assert.equal(`${u?.address}:${u?.port}`, `${vip(3)}:18103`);
    const ev = await eventually(async () => (await api.client.events('default').list()).items.find((e) => e.involvedObject.name === 'busy' && e.type === 'Warning'));
    assert.equal(ev.reason, 'FailedToServe');
    assert.match(ev.message ?? '', /^Cannot listen on 127\.96\.12\.3:18103\/TCP: address already in use/);
    assert.equal((await proxy.query.service('default', 'busy'))[0]?.frontends[0]?.state, 'unserved');
    await new Promise<void>((r) => squatter.close(() => r()));
    await proxy.flush();
    assert.deepEqual(proxy.query.unserved(), []);
    assert.equal((await whoAnswers(vip(3), 18103)).name, 'later');
  });
});
