// The userspace data plane forwarding in worker processes (`workers: 2`): what the shared
// conformance suite cannot see — processes restarted, ended with their parent and by stop(),
// affinity kept in one table while two processes accept, refusal right after a sync.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { eventually, memoryApi, type MemoryApi } from '../../../testing/index.js';
import { nameServer, service, slice, tcpRequest, whoAnswers, type EndpointFixture } from '../../_testkit.js';
import { startProxy, type DataPlaneWorker, type RunningProxy } from '../../index.js';

const NODES = [
  { name: 'node0', ips: ['127.245.236.1'], podCIDR: '127.244.236.0/24' },
  { name: 'node1', ips: ['127.245.237.1'], podCIDR: '127.244.237.0/24' },
];
const pod = (node: 0 | 1, i: number) => `127.244.${236 + node}.${i}`;
const vip = (i: number) => `127.96.15.${i}`;

/** A process is alive: it exists and is not a zombie. */
function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('userspace data plane with 2 workers', () => {
  let api: MemoryApi;
  let proxy: RunningProxy;
  const closers: (() => Promise<void>)[] = [];

  before(async () => {
    api = await memoryApi();
    proxy = await startProxy({ client: api.client, nodes: NODES, userspace: { workers: 2 } });
  });
  after(async () => {
    for (const c of closers.splice(0)) await c();
    await proxy.stop();
    await api.close();
  });

  const workers = async (): Promise<DataPlaneWorker[]> => (await proxy.query.snapshot()).workers ?? [];
  async function backends(...specs: [0 | 1, number, string][]): Promise<void> {
    for (const [node, i, name] of specs) closers.push((await nameServer(pod(node, i), 8080, name)).close);
  }
  async function setEndpoints(name: string, endpoints: EndpointFixture[]): Promise<void> {
    const want = slice({ service: name, port: 8080, endpoints });
    const cur = await api.client
      .endpointSlices('default')
      .get(want.metadata.name!)
      .catch(() => undefined);
    if (cur) await api.client.endpointSlices('default').update({ ...want, metadata: cur.metadata });
    else await api.client.endpointSlices('default').create(want);
    await proxy.flush();
  }

  it('restarts a worker that dies while the other keeps serving, and serves through the new ones', async () => {
    await backends([0, 11, 'w']);
    await api.client.services('default').create(service({ name: 'crash', clusterIP: vip(1), ports: [{ port: 18301, targetPort: 8080 }] }));
    await setEndpoints('crash', [{ ip: pod(0, 11), node: 'node0' }]);
    const first = await workers();
    assert.deepEqual(
      first.map((w) => [w.state, alive(w.pid)]),
      [
        ['ready', true],
        ['ready', true],
      ],
    );
    process.kill(first[0]!.pid!, 'SIGKILL');
    for (let i = 0; i < 20; i++) assert.equal((await whoAnswers(vip(1), 18301)).name, 'w', 'the other worker serves meanwhile');
    const second = await eventually(async () => {
      const ws = await workers();
      return ws[0]?.state === 'ready' && ws[0].pid !== first[0]!.pid ? ws : undefined;
    });
    assert.equal(second[0]?.restarts, 1);
    assert.equal(second[1]?.pid, first[1]?.pid);

    // Both at once: the service is down until they are back, then served by the new processes.
    for (const w of second) process.kill(w.pid!, 'SIGKILL');
    const third = await eventually(
      async () => {
        const ws = await workers();
        return ws.every((w, i) => w.state === 'ready' && w.pid !== second[i]?.pid) ? ws : undefined;
      },
      { timeoutMs: 10_000 },
    );
    assert.ok(third.every((w) => alive(w.pid)));
    assert.ok(second.every((w) => !alive(w.pid)), 'the killed processes are gone');
    const answers = await Promise.all(Array.from({ length: 20 }, () => whoAnswers(vip(1), 18301)));
    assert.deepEqual(new Set(answers.map((a) => a.name)), new Set(['w']));
    assert.ok((await workers()).reduce((n, w) => n + w.accepted, 0) >= 20, 'the new workers accepted the connections');
  });

  it('keeps ClientIP affinity exact while both workers accept: 20 clients × 20 concurrent connections, one endpoint each', async () => {
    await backends([0, 21, 'a1'], [0, 22, 'a2'], [1, 23, 'a3']);
    await api.client.services('default').create(service({ name: 'sticky', clusterIP: vip(2), ports: [{ port: 18302, targetPort: 8080 }], affinitySeconds: 1000 }));
    await setEndpoints('sticky', [
      { ip: pod(0, 21), node: 'node0' },
      { ip: pod(0, 22), node: 'node0' },
      { ip: pod(1, 23), node: 'node1' },
    ]);
    const acceptedBefore = (await workers()).map((w) => w.accepted);
    const client = (i: number) => pod(1, 100 + i);
    const seen = new Map<string, Set<string>>();
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => whoAnswers(vip(2), 18302, { localAddress: client(i) })));
      for (const a of answers) seen.set(a.peer, (seen.get(a.peer) ?? new Set()).add(a.name));
    }
    assert.equal(seen.size, 20);
    for (const [c, names] of seen) assert.equal(names.size, 1, `${c} reached ${[...names].join(', ')}`);
    assert.ok(new Set([...seen.values()].map((s) => [...s][0])).size >= 2, 'different clients are spread');
    const table = await proxy.query.affinity('default', 'sticky');
    const endpointOf = new Map([
      [`${pod(0, 21)}:8080`, 'a1'],
      [`${pod(0, 22)}:8080`, 'a2'],
      [`${pod(1, 23)}:8080`, 'a3'],
    ]);
    assert.deepEqual(
      table.map((e) => [e.clientIP, endpointOf.get(e.endpoint)]).sort(),
      [...seen].map(([c, names]) => [c, [...names][0]]).sort(),
      'one table, bound to what each client reached',
    );
    const accepted = (await workers()).map((w, i) => w.accepted - (acceptedBefore[i] ?? 0));
    assert.equal(
      accepted.reduce((a, b) => a + b, 0),
      400,
    );
    assert.ok(
      accepted.every((n) => n > 0),
      `both workers accepted connections: ${accepted.join(', ')}`,
    );
  });

  it('drops a sticky Local-policy connection from a client on another node, counted once', async () => {
    await backends([0, 31, 'local']);
    await api.client.services('default').create(service({ name: 'sticky-local', clusterIP: vip(3), ports: [{ port: 18303, targetPort: 8080 }], affinitySeconds: 100, internalTrafficPolicy: 'Local' }));
    await setEndpoints('sticky-local', [{ ip: pod(0, 31), node: 'node0' }]);
    assert.equal((await whoAnswers(vip(3), 18303, { localAddress: pod(0, 150) })).name, 'local');
    const r = await tcpRequest(vip(3), 18303, { localAddress: pod(1, 150), timeoutMs: 300, send: 'hello' });
    assert.deepEqual([r.kind, r.kind === 'silent' && r.connected], ['silent', true]);
    const [sp] = await proxy.query.service('default', 'sticky-local');
    assert.equal(sp?.dropped, 1);
    assert.deepEqual(
      sp?.affinity.map((e) => e.clientIP),
      [pod(0, 150)],
    );
  });

  it('refuses at once right after the sync that removes the last endpoint, every time, while the workers are busy', async () => {
    await backends([0, 41, 'flip']);
    await api.client.services('default').create(service({ name: 'flip', clusterIP: vip(4), ports: [{ port: 18304, targetPort: 8080 }] }));
    let busy = true;
    const load = Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 5000 && busy; i++) await tcpRequest(vip(4), 18304, { timeoutMs: 500 });
    });
    try {
      for (let i = 0; i < 15; i++) {
        await setEndpoints('flip', [{ ip: pod(0, 41), node: 'node0' }]);
        assert.equal((await whoAnswers(vip(4), 18304)).name, 'flip');
        await setEndpoints('flip', []);
        const r = await tcpRequest(vip(4), 18304, { timeoutMs: 1000 });
        assert.equal(r.kind, 'refused', `round ${i}: ${JSON.stringify(r)}`);
        assert.ok(r.ms < 100, `round ${i}: refused after ${r.ms} ms`);
      }
    } finally {
      busy = false;
      await Promise.all(load);
    }
  });

  it('stop() ends every worker and closes every listening socket', async () => {
    const own = await memoryApi();
    const p = await startProxy({ client: own.client, nodes: NODES, userspace: { workers: 2 } });
    await own.client.services('default').create(service({ name: 'stop', clusterIP: vip(5), ports: [{ port: 18305, targetPort: 8080 }] }));
    await own.client.endpointSlices('default').create(slice({ service: 'stop', port: 8080, endpoints: [{ ip: pod(0, 11), node: 'node0' }] }));
    await p.flush();
    assert.equal((await whoAnswers(vip(5), 18305)).name, 'w');
    const pids = ((await p.query.snapshot()).workers ?? []).map((w) => w.pid);
    assert.equal(pids.filter(alive).length, 2);
    await p.stop();
    await own.close();
    assert.deepEqual(pids.filter(alive), [], 'no worker left once stop() resolves');
    assert.equal((await tcpRequest(vip(5), 18305)).kind, 'refused');
  });

  it('ends its workers, and their sockets, when the process that started them is killed with SIGKILL', async () => {
    const fixture = fileURLToPath(new URL('./_workers-fixture.js', import.meta.url));
    const child = spawn(process.execPath, [fixture, vip(6), '18306', pod(0, 11), '8080'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let killed = false;
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`the fixture printed no line within 15 s: ${out}`)), 15_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) {
            clearTimeout(timer);
            resolve(out.slice(0, out.indexOf('\n')));
          }
        });
        child.once('exit', (code) => reject(new Error(`the fixture exited with ${code}`)));
      });
      const { workers: pids } = JSON.parse(line) as { workers: number[] };
      assert.equal(pids.filter(alive).length, 2, line);
      assert.equal((await whoAnswers(vip(6), 18306)).name, 'w', 'served through the fixture’s workers');
      child.kill('SIGKILL');
      killed = true;
      await eventually(() => pids.every((p) => !alive(p)), { timeoutMs: 5000, message: `workers ${pids.join(', ')} still alive` });
      assert.equal((await tcpRequest(vip(6), 18306)).kind, 'refused', 'their listening socket went with them');
    } finally {
      if (!killed) child.kill('SIGKILL');
    }
  });
});
