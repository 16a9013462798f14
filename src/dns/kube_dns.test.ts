import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { memoryApi, type MemoryApi } from '../testing/index.js';
import { ensureKubeDns, KUBE_DNS_MANAGED_BY } from './kube_dns.js';
import { toEndpointSliceRecord, toServiceRecord } from './records.js';

describe('ensureKubeDns', () => {
  let api: MemoryApi;
  before(async () => {
    api = await memoryApi();
  });
  after(async () => {
    await api.close();
  });

  it('creates kube-system/kube-dns with UDP and TCP 53 and endpoints at the server, labelled away from the controllers', async () => {
    await ensureKubeDns(api.client, { clusterIP: '127.96.0.10', endpoints: [{ ip: '127.96.250.16', port: 10053 }] });
    const svc = await api.client.services('kube-system').get('kube-dns');
    assert.deepEqual(
      svc.spec.ports?.map((p) => `${p.name} ${p.port}/${p.protocol}->${p.targetPort}`),
      ['dns 53/UDP->10053', 'dns-tcp 53/TCP->10053'],
    );
    assert.equal(svc.spec.selector, undefined, 'no selector: the server is not a pod');
    const rec = toServiceRecord(svc);
    assert.deepEqual(rec.kind === 'ClusterIP' && rec.clusterIPs, ['127.96.0.10']);
    const slice = await api.client.endpointSlices('kube-system').get('kube-dns');
    assert.equal(slice.metadata.labels?.['endpointslice.kubernetes.io/managed-by'], KUBE_DNS_MANAGED_BY);
    assert.deepEqual(
      toEndpointSliceRecord(slice)?.endpoints.map((e) => `${e.ip} ${e.ports.map((p) => `${p.protocol}:${p.port}`).join(',')}`),
      ['127.96.250.16 udp:10053,tcp:10053'],
    );
    const eps = await api.client.endpoints('kube-system').get('kube-dns');
    assert.deepEqual(eps.subsets?.[0]?.addresses, [{ ip: '127.96.250.16' }]);
  });

  it('updates the endpoints on a second call and keeps the Service ClusterIP', async () => {
    await ensureKubeDns(api.client, { clusterIP: '127.96.0.99', endpoints: [{ ip: '127.96.250.17', port: 53 }] });
    const svc = await api.client.services('kube-system').get('kube-dns');
    assert.equal(svc.spec.clusterIP, '127.96.0.10');
    const slice = await api.client.endpointSlices('kube-system').get('kube-dns');
    assert.deepEqual(slice.endpoints?.map((e) => e.addresses[0]), ['127.96.250.17']);
  });
});
