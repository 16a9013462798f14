// Behaviour specific to the userspace data plane (beyond the shared conformance suite).
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { memoryApi, type MemoryApi } from '../../../testing/index.js';
import { service, slice, SkewClock, tcpRequest, udpNameServer, udpRequest } from '../../_testkit.js';
import { startProxy, type RunningProxy } from '../../index.js';
import { userspaceDataPlane } from './index.js';

describe('userspace data plane', () => {
  let api: MemoryApi;
  let proxy: RunningProxy;
  const clock = new SkewClock();
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    api = await memoryApi();
    proxy = await startProxy({
      client: api.client,
      nodes: [
        { name: 'node0', ips: ['127.245.220.1'], podCIDR: '127.244.220.0/24' },
        { name: 'node1', ips: ['127.245.221.1'], podCIDR: '127.244.221.0/24' },
      ],
      clock,
      dataPlane: userspaceDataPlane({ udpIdleTimeoutMs: 200, dropHoldMs: 5000 }),
    });
  });
  after(async () => {
    for (const c of closers.splice(0)) await c();
    await proxy.stop();
    await api.close();
  });

  it('forgets an idle UDP flow, so the next datagram from that client is balanced again', async () => {
    const u1 = await udpNameServer('127.244.220.11', 5353, 'u1');
    const u2 = await udpNameServer('127.244.220.12', 5353, 'u2');
    closers.push(u1.close, u2.close);
    await api.client.services('default').create(service({ name: 'flows', clusterIP: '127.96.13.1', ports: [{ port: 18201, protocol: 'UDP', targetPort: 5353 }] }));
    await api.client.endpointSlices('default').create(
      slice({ service: 'flows', port: 5353, protocol: 'UDP', endpoints: [{ ip: '127.244.220.11', node: 'node0' }, { ip: '127.244.220.12', node: 'node0' }] }),
    );
    await proxy.flush();
    const sock = dgram.createSocket('udp4');
    closers.push(() => new Promise<void>((r) => sock.close(() => r())));
    await new Promise<void>((r) => sock.bind(0, '127.244.221.9', () => r()));
    const first = await udpRequest('127.96.13.1', 18201, 'a', { socket: sock });
    for (let i = 0; i < 5; i++) assert.equal(await udpRequest('127.96.13.1', 18201, 'a', { socket: sock }), first, 'one flow keeps its endpoint');
    const [sp] = await proxy.query.service('default', 'flows');
    assert.equal(sp?.endpoints.reduce((n, e) => n + e.activeConnections, 0), 1);
    const seen = new Set<string>();
    for (let i = 0; i < 30 && seen.size < 2; i++) {
      clock.advance(1000);
      await new Promise((r) => setTimeout(r, 120)); // let the (real-time) sweep see the moved clock
      const a = await udpRequest('127.96.13.1', 18201, 'a', { socket: sock });
      if (typeof a === 'string') seen.add(a.split(' ')[0] ?? '');
    }
    assert.deepEqual([...seen].sort(), ['u1', 'u2'], 'after idling out, new flows of the same client are balanced again');
  });

  it('counts dropped connections and holds them without an answer', async () => {
    await api.client.services('default').create(service({ name: 'drop', clusterIP: '127.96.13.2', ports: [{ port: 18202, targetPort: 8080 }], internalTrafficPolicy: 'Local' }));
    await api.client.endpointSlices('default').create(slice({ service: 'drop', port: 8080, endpoints: [{ ip: '127.244.220.21', node: 'node0' }] }));
    await proxy.flush();
    const r = await tcpRequest('127.96.13.2', 18202, { localAddress: '127.244.221.30', timeoutMs: 300, send: 'hello' });
    assert.deepEqual([r.kind, r.kind === 'silent' && r.connected], ['silent', true]);
    assert.equal((await proxy.query.service('default', 'drop'))[0]?.dropped, 1);
  });
});
