import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeStatus as printedNodeStatus } from '../../api/index.js';
import { FakeClock, eventually, memoryApi, type MemoryApi } from '../../testing/index.js';
import { NODE_LEASE_NAMESPACE, NodeHeartbeat, machineCapacity, registerNode, systemInfo, type NodeIdentity } from './node.js';

let api: MemoryApi;
before(async () => {
  api = await memoryApi();
});
after(async () => {
  await api?.close();
});

const identity = (name: string): NodeIdentity => ({
  nodeName: name,
  nodeIP: '127.244.210.1',
  podCIDR: '127.244.210.0/24',
  info: systemInfo(),
  capacity: machineCapacity('/'),
});

test('nodeInfo and capacity describe this machine as a v1.32 kubelet would', () => {
  const info = systemInfo();
  assert.equal(info.operatingSystem, 'linux');
  assert.match(info.kubeletVersion, /^v1\.32\.\d+/);
  assert.match(info.containerRuntimeVersion, /^kubeloop:\/\//);
  const cap = machineCapacity('/');
  assert.equal(cap['pods'], '110');
  assert.match(cap['memory'] ?? '', /^\d+Ki$/);
  assert.match(cap['cpu'] ?? '', /^\d+$/);
});

test('registering twice keeps one Node: labels merged, pod CIDR kept, status rewritten', async () => {
  const first = await registerNode(api.client, identity('reg'), () => Date.parse('2026-11-01T00:00:00Z'));
  assert.equal(printedNodeStatus(first), 'Ready');
  await api.client.nodes().update({ ...first, metadata: { ...first.metadata, labels: { ...first.metadata.labels, 'node-role.kubernetes.io/worker': '' } } });
  const again = await registerNode(api.client, { ...identity('reg'), podCIDR: '127.244.99.0/24' }, () => Date.parse('2026-11-01T00:10:00Z'));
  assert.equal(again.metadata.uid, first.metadata.uid);
  assert.equal(again.metadata.labels?.['node-role.kubernetes.io/worker'], '');
  assert.equal(again.spec?.podCIDR, '127.244.210.0/24', 'a pod CIDR once set stays');
  const ready = again.status?.conditions?.find((c) => c.type === 'Ready');
  assert.equal(ready?.lastHeartbeatTime, '2026-11-01T00:10:00Z');
  assert.equal(ready?.lastTransitionTime, '2026-11-01T00:00:00Z', 'still Ready since the first registration');
});

test('the heartbeat renews the Lease every interval and reports status on its own period', async () => {
  const clock = new FakeClock(Date.parse('2026-11-01T00:00:00Z'));
  const id = identity('beat');
  const node = await registerNode(api.client, id, () => clock.now());
  const hb = new NodeHeartbeat(node, { client: api.client, identity: id, clock, leaseDurationSeconds: 40, leaseRenewIntervalMs: 10_000, statusReportIntervalMs: 60_000, log: () => undefined });
  void hb.start();
  try {
    const leases = api.client.leases(NODE_LEASE_NAMESPACE);
    const first = await eventually(() => leases.get('beat').catch(() => undefined));
    assert.equal(first.spec.renewTime, '2026-11-01T00:00:00.000000Z');
    clock.advance(10_000);
    await eventually(async () => (await leases.get('beat')).spec.renewTime === '2026-11-01T00:00:10.000000Z');
    clock.advance(50_000);
    await eventually(async () => (await api.client.nodes().get('beat')).status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime === '2026-11-01T00:01:00Z');
  } finally {
    hb.stop();
  }
  assert.equal(clock.pending, 0, 'stop() cancels every timer');
});

test('a Node deleted behind the agent\'s back is registered again at the next report', async () => {
  const clock = new FakeClock(Date.parse('2026-11-01T00:00:00Z'));
  const id = identity('comeback');
  const node = await registerNode(api.client, id, () => clock.now());
  const hb = new NodeHeartbeat(node, { client: api.client, identity: id, clock, leaseDurationSeconds: 40, leaseRenewIntervalMs: 10_000, statusReportIntervalMs: 60_000, log: () => undefined });
  void hb.start();
  try {
    await api.client.nodes().delete('comeback');
    clock.advance(60_000);
    const back = await eventually(() => api.client.nodes().get('comeback').catch(() => undefined));
    assert.notEqual(back.metadata.uid, node.metadata.uid);
    assert.equal(printedNodeStatus(back), 'Ready');
  } finally {
    hb.stop();
  }
});
