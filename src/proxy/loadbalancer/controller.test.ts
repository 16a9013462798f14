import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Service } from '../../api/index.js';
import { eventually, memoryApi, type MemoryApi } from '../../testing/index.js';
import { startLoadBalancerController, type RunningLoadBalancerController } from './controller.js';
import { LoadBalancerPool } from './pool.js';

const lb = (name: string, spec: Partial<Service['spec']> = {}): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { type: 'LoadBalancer', clusterIP: '127.96.11.1', ports: [{ port: 80, nodePort: 30001 }], ...spec },
});

describe('LoadBalancerPool', () => {
  it('hands out the lowest free usable address and never the network or broadcast address', () => {
    const p = new LoadBalancerPool('127.250.9.0/30');
    assert.deepEqual([p.allocateNext(), p.allocateNext(), p.allocateNext()], [
      { ok: true, ip: '127.250.9.1' },
      { ok: true, ip: '127.250.9.2' },
      { ok: false, reason: 'Full', message: 'range is full' },
    ]);
    p.release('127.250.9.1');
    assert.deepEqual(p.allocateNext(), { ok: true, ip: '127.250.9.1' });
  });

  it('reserves a requested address only inside the pool and only once', () => {
    const p = new LoadBalancerPool('127.250.9.0/24');
    assert.equal(p.allocate('127.250.9.7').ok, true);
    assert.equal(p.allocate('127.250.9.7').ok, false);
    const r = p.allocate('127.250.10.7');
    assert.ok(!r.ok && r.reason === 'NotInRange' && /not in the valid range/.test(r.message));
  });
});

describe('LoadBalancer controller', () => {
  let api: MemoryApi;
  let ctl: RunningLoadBalancerController;
  const svcs = () => api.client.services('default');
  const ingressIP = async (name: string) => (await svcs().get(name)).status?.loadBalancer?.ingress?.[0]?.ip;

  before(async () => {
    api = await memoryApi();
    ctl = await startLoadBalancerController({ client: api.client, cidr: '127.250.9.0/29', retryMs: 50 });
  });
  after(async () => {
    await ctl.stop();
    await api.close();
  });

  it('gives a LoadBalancer Service an ingress IP from the pool at once', async () => {
    await svcs().create(lb('one'));
    assert.equal(await eventually(() => ingressIP('one'), { timeoutMs: 2000 }), '127.250.9.1');
    const s = await svcs().get('one');
    assert.equal(s.status?.loadBalancer?.ingress?.[0]?.ipMode, 'VIP');
  });

  it('honours spec.loadBalancerIP', async () => {
    await svcs().create(lb('wanted', { loadBalancerIP: '127.250.9.5' }));
    assert.equal(await eventually(() => ingressIP('wanted'), { timeoutMs: 2000 }), '127.250.9.5');
  });

  it('leaves Services with a loadBalancerClass and other types alone', async () => {
    await svcs().create(lb('classy', { loadBalancerClass: 'example.com/internal-vip' }));
    await svcs().create({ ...lb('plain'), spec: { type: 'ClusterIP', clusterIP: '127.96.11.2', ports: [{ port: 80 }] } });
    await svcs().create(lb('marker'));
    await eventually(() => ingressIP('marker'), { timeoutMs: 2000 });
    assert.equal(await ingressIP('classy'), undefined);
    assert.equal(await ingressIP('plain'), undefined);
  });

  it('releases the IP when the Service is deleted or stops being a LoadBalancer, and reuses it', async () => {
    await svcs().create(lb('temp'));
    const ip = await eventually(() => ingressIP('temp'), { timeoutMs: 2000 });
    await svcs().delete('temp');
    await eventually(() => !ctl.assignments().some((a) => a.ip === ip), { timeoutMs: 2000 });
    await svcs().create(lb('again', { loadBalancerIP: ip }));
    assert.equal(await eventually(() => ingressIP('again'), { timeoutMs: 2000 }), ip);
    const cur = await svcs().get('again');
    await svcs().update({ ...cur, spec: { ...cur.spec, type: 'ClusterIP', ports: [{ port: 80 }] } });
    await eventually(() => !ctl.assignments().some((a) => a.service === 'default/again'), { timeoutMs: 2000 });
    assert.equal(await eventually(async () => (await ingressIP('again')) === undefined, { timeoutMs: 2000 }), true);
  });

  it('keeps a Service pending with a Warning event while its requested IP is outside the pool', async () => {
    await svcs().create(lb('outside', { loadBalancerIP: '127.250.10.1' }));
    const ev = await eventually(async () => (await api.client.events('default').list()).items.find((e) => e.involvedObject.name === 'outside' && e.reason === 'AllocationFailed'), { timeoutMs: 2000 });
    assert.match(ev.message ?? '', /not in the valid range/);
    assert.equal(await ingressIP('outside'), undefined);
  });

  it('keeps existing assignments across a restart', async () => {
    const before = ctl.assignments();
    await ctl.stop();
    ctl = await startLoadBalancerController({ client: api.client, cidr: '127.250.9.0/29', retryMs: 50 });
    await eventually(() => ctl.assignments().length === before.length, { timeoutMs: 2000 });
    assert.deepEqual(ctl.assignments(), before);
  });
});
