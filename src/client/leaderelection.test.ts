import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock, eventually, memoryApi, type MemoryApi } from '../testing/index.js';
import { LeaderElector } from './leaderelection.js';

describe('LeaderElector', () => {
  let api: MemoryApi;
  before(async () => {
    api = await memoryApi();
  });
  after(async () => {
    await api.close();
  });

  it('lets exactly one of two candidates lead, and the other take over after the leader stops', async () => {
    const clock = new FakeClock(Date.now());
    const events: string[] = [];
    const mk = (id: string) =>
      new LeaderElector({
        client: api.client,
        namespace: 'kube-system',
        name: 'kubeloop-controllers',
        identity: id,
        leaseDurationSeconds: 15,
        retryPeriodMs: 1000,
        clock,
        onStartedLeading: () => events.push(`${id} leads`),
        onStoppedLeading: () => events.push(`${id} stops`),
      });
    const a = mk('a');
    const b = mk('b');
    a.start();
    await eventually(() => a.isLeader);
    b.start();
    await new Promise((r) => setTimeout(r, 20));
    clock.advance(1000);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(b.isLeader, false, 'b may not lead while a renews');
    await a.stop();
    clock.advance(1000);
    await eventually(() => b.isLeader);
    assert.deepEqual(events, ['a leads', 'a stops', 'b leads']);
    const lease = await api.client.leases('kube-system').get('kubeloop-controllers');
    assert.equal(lease.spec.holderIdentity, 'b');
    await b.stop();
  });

  it('takes over a lease whose holder stopped renewing once it expired', async () => {
    const clock = new FakeClock(Date.now());
    await api.client.leases('kube-system').create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'stale', namespace: 'kube-system' },
      spec: { holderIdentity: 'gone', leaseDurationSeconds: 10, renewTime: new Date(clock.now()).toISOString().replace('Z', '000Z'), leaseTransitions: 0 },
    });
    const c = new LeaderElector({ client: api.client, namespace: 'kube-system', name: 'stale', identity: 'c', retryPeriodMs: 1000, clock, onStartedLeading: () => {}, onStoppedLeading: () => {} });
    c.start();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(c.isLeader, false);
    for (let i = 0; i < 11; i++) {
      clock.advance(1000);
      await new Promise((r) => setTimeout(r, 5));
    }
    await eventually(() => c.isLeader);
    assert.equal((await api.client.leases('kube-system').get('stale')).spec.leaseTransitions, 1);
    await c.stop();
  });
});
