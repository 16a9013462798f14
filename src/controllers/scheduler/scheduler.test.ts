import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Node, Pod } from '../../api/index.js';
import { eventually, type MemoryApi } from '../../testing/index.js';
import { addNode, controllersApi, node, pod } from '../_testing.js';
import type { RunningController } from '../_runner.js';
import { schedule, tolerates, unfitReason } from './plan.js';
import { startScheduler } from './index.js';

const n = (name: string, o: Parameters<typeof node>[1] = {}): Node => node(name, o);
const p = (o: Parameters<typeof pod>[1] = {}): Pod => pod('x', o);

describe('schedule', () => {
  it('picks the Ready node with the fewest pods, ties by name', () => {
    const counts: Record<string, number> = { a: 3, b: 1, c: 1 };
    assert.deepEqual(schedule(p(), { nodes: [n('a'), n('c'), n('b')], podCount: (x) => counts[x] ?? 0 }), { fits: true, node: 'b' });
  });

  it('honours nodeSelector', () => {
    const nodes = [n('a'), n('b', { labels: { disk: 'ssd' } })];
    assert.deepEqual(schedule(p({ nodeSelector: { disk: 'ssd' } }), { nodes, podCount: () => 0 }), { fits: true, node: 'b' });
  });

  it("explains failures in kube-scheduler's words, reasons sorted, with the preemption note", () => {
    const nodes = [n('a', { ready: false }), n('b', { unschedulable: true }), n('c'), n('d', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] })];
    const d = schedule(p({ nodeSelector: { zone: 'x' } }), { nodes, podCount: () => 0 });
    assert.deepEqual(d, {
      fits: false,
      message:
        "0/4 nodes are available: 1 node(s) were unschedulable, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
    });
    const t = schedule(p(), { nodes: [n('a', { ready: false }), n('d', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] })], podCount: () => 0 });
    assert.equal(
      t.fits ? '' : t.message,
      '0/2 nodes are available: 1 node(s) had untolerated taint {gpu: true}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
    assert.deepEqual(schedule(p(), { nodes: [], podCount: () => 0 }), { fits: false, message: 'no nodes available to schedule pods' });
  });

  it('lets tolerations through taints, and ignores PreferNoSchedule', () => {
    assert.ok(tolerates({ key: 'gpu', operator: 'Exists' }, { key: 'gpu', value: 'x', effect: 'NoSchedule' }));
    assert.ok(tolerates({ operator: 'Exists' }, { key: 'anything', effect: 'NoExecute' }));
    assert.ok(!tolerates({ key: 'gpu', value: 'y' }, { key: 'gpu', value: 'x', effect: 'NoSchedule' }));
    assert.ok(!tolerates({ key: 'gpu', operator: 'Exists', effect: 'NoExecute' }, { key: 'gpu', effect: 'NoSchedule' }));
    const tolerant = p();
    tolerant.spec.tolerations = [{ key: 'gpu', operator: 'Exists' }];
    assert.equal(unfitReason(tolerant, n('d', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] })), undefined);
    assert.equal(unfitReason(p(), n('e', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] })), undefined);
  });
});

describe('scheduler against the API', () => {
  let api: MemoryApi;
  let ctl: RunningController;
  before(async () => {
    api = await controllersApi();
    await addNode(api.client, node('node0'));
    await addNode(api.client, node('node1'));
    ctl = await startScheduler({ client: api.client });
  });
  after(async () => {
    await ctl.stop();
    await api.close();
  });
  const c = () => api.client;

  it('binds pods through the binding subresource, spreading them, and records Scheduled events', async () => {
    for (const name of ['s1', 's2', 's3', 's4']) await c().pods('default').create(pod(name));
    const bound = await eventually(async () => {
      const ps = (await c().pods('default').list()).items.filter((x) => /^s\d$/.test(x.metadata.name));
      return ps.every((x) => x.spec.nodeName) ? ps : undefined;
    });
    const perNode = bound.map((x) => x.spec.nodeName).sort();
    assert.deepEqual(perNode, ['node0', 'node0', 'node1', 'node1']);
    const s1 = bound.find((x) => x.metadata.name === 's1')!;
    await eventually(async () =>
      (await c().events('default').list({ fieldSelector: 'involvedObject.name=s1' })).items.some(
        (e) => e.reason === 'Scheduled' && e.type === 'Normal' && e.message === `Successfully assigned default/s1 to ${s1.spec.nodeName}` && e.source?.component === 'default-scheduler',
      ),
    );
  });

  it('leaves a pod with nodeName preset where it is', async () => {
    await c().pods('default').create(pod('preset', { nodeName: 'elsewhere' }));
    await c().pods('default').create(pod('marker'));
    await eventually(async () => !!(await c().pods('default').get('marker')).spec.nodeName);
    assert.equal((await c().pods('default').get('preset')).spec.nodeName, 'elsewhere');
  });

  it('reports FailedScheduling and PodScheduled=False when nothing fits, and binds once a node fits', async () => {
    await c().pods('default').create(pod('picky', { nodeSelector: { disk: 'ssd' } }));
    const failed = await eventually(async () => {
      const x = await c().pods('default').get('picky');
      return x.status?.conditions?.find((cond) => cond.type === 'PodScheduled' && cond.status === 'False') ? x : undefined;
    });
    const cond = failed.status?.conditions?.find((x) => x.type === 'PodScheduled');
    assert.equal(cond?.reason, 'Unschedulable');
    assert.match(cond?.message ?? '', /^0\/2 nodes are available: 2 node\(s\) didn't match Pod's node affinity\/selector\./);
    await eventually(async () => (await c().events('default').list({ fieldSelector: 'involvedObject.name=picky' })).items.some((e) => e.reason === 'FailedScheduling' && e.type === 'Warning'));
    await addNode(c(), node('fast', { labels: { disk: 'ssd' } }));
    await eventually(async () => (await c().pods('default').get('picky')).spec.nodeName === 'fast');
  });
});
