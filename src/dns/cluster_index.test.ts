import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, memoryApi, type MemoryApi } from '../testing/index.js';
import { indexOf, service, slice } from './_fixtures.js';
import { watchCluster, type ClusterWatch } from './cluster_index.js';
import { SERVICE_NAME_LABEL, toServiceRecord } from './records.js';

describe('RecordIndex', () => {
  it('finds a Service by ClusterIP until it is deleted or its IP changes', () => {
    const index = indexOf([service('default/web', { clusterIP: '127.96.0.20' })]);
    assert.deepEqual(
      index.servicesByClusterIp('127.96.0.20').map((s) => s.name),
      ['web'],
    );
    index.upsertService(toServiceRecord(service('default/web', { clusterIP: '127.96.0.21' })));
    assert.deepEqual(index.servicesByClusterIp('127.96.0.20'), []);
    index.deleteService('default', 'web');
    assert.deepEqual(index.servicesByClusterIp('127.96.0.21'), []);
    assert.equal(index.hasNamespace('default'), false);
  });

  it('recomputes a Service endpoints after one of its slices changes', () => {
    const index = indexOf([service('default/db', { clusterIP: 'None' }), slice('default/db-1', { service: 'db', endpoints: ['127.244.0.1'] })]);
    assert.deepEqual(
      index.endpoints('default', 'db').map((e) => e.ip),
      ['127.244.0.1'],
    );
    index.deleteSlice('default', 'db-1');
    assert.deepEqual(index.endpoints('default', 'db'), []);
    assert.deepEqual(index.endpointsByIp('127.244.0.1'), []);
  });

  it('canonicalises IPs so lookups match whatever form the object used', () => {
    const index = indexOf([service('prod/v6', { clusterIPs: ['FD00:96:0::30'] })]);
    assert.equal(index.servicesByClusterIp('fd00:96::30')[0]?.name, 'v6');
  });

  it('moves the SOA serial forward on change', () => {
    let now = Date.UTC(2026, 0, 1);
    const index = indexOf([], { now: () => now });
    const before = index.serial;
    now += 60_000;
    index.upsertService(toServiceRecord(service('default/web', { clusterIP: '127.96.0.20' })));
    assert.equal(index.serial, before + 60);
  });
});

describe('watchCluster', () => {
  let api: MemoryApi;
  let watch: ClusterWatch;
  before(async () => {
    api = await memoryApi();
    await api.client.services('default').create(service('default/web', { clusterIP: '127.96.0.20', ports: ['http:80/TCP'] }));
    watch = watchCluster(api.client);
  });
  after(async () => {
    watch.stop();
    await api.close();
  });

  it('is synced once the first lists are in, with the objects that existed', async () => {
    await watch.ready;
    assert.equal(watch.index.synced, true);
    assert.equal(watch.index.service('default', 'web')?.kind, 'ClusterIP');
  });

  it('follows Service creation, type change and deletion', async () => {
    const c = api.client.services('default');
    const created = await c.create(service('default/api', { clusterIP: '127.96.0.21' }));
    await eventually(() => watch.index.service('default', 'api')?.kind === 'ClusterIP');
    await c.update({ ...created, spec: { type: 'ExternalName', externalName: 'api.example.com', clusterIP: '' } });
    await eventually(() => {
      const s = watch.index.service('default', 'api');
      return s?.kind === 'ExternalName' && s.externalName === 'api.example.com';
    });
    assert.deepEqual(watch.index.servicesByClusterIp('127.96.0.21'), []);
    await c.delete('api');
    await eventually(() => watch.index.service('default', 'api') === undefined);
  });

  it('follows EndpointSlices, and drops one that loses its service-name label', async () => {
    const c = api.client.endpointSlices('default');
    const s = await c.create(slice('default/web-1', { service: 'web', endpoints: ['127.244.0.5 hostname=a'], ports: ['http:8080/TCP'] }));
    await eventually(() => watch.index.endpoints('default', 'web').length === 1);
    assert.equal(watch.index.endpointsByIp('127.244.0.5')[0]?.endpoint.hostname, 'a');
    const labels = { ...s.metadata.labels };
    delete labels[SERVICE_NAME_LABEL];
    await c.update({ ...s, metadata: { ...s.metadata, labels } });
    await eventually(() => watch.index.endpoints('default', 'web').length === 0);
    await c.delete('web-1');
  });
});
