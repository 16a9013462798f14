// Graceful deletion (grace period, preStop, SIGKILL), forced removal, and no process left behind
// after stop() or after kubeloop itself is SIGKILLed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { podRow } from '../../api/index.js';
import { eventually } from '../../testing/index.js';
import { httpGet, killAll, liveDescendants, processesWithEnv, running, sleep, startHarness, type Harness } from './_testing.js';

describe('graceful deletion', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(204);
  });
  after(async () => {
    await h?.close();
  });

  test('a process that ignores SIGTERM is killed when the grace period ends, then the pod is removed', async () => {
    await h.create('stubborn', { terminationGracePeriodSeconds: 3, containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'sleep 600'] }] });
    await h.waitFor('stubborn', 'Running', running);
    const t0 = Date.now();
    await h.client.pods('default').delete('stubborn');
    const marked = await h.get('stubborn');
    assert.equal(marked.metadata.deletionGracePeriodSeconds, 3);
    assert.equal(podRow(marked, new Date()).status, 'Terminating');
    await h.waitGone('stubborn', 10_000);
    const took = Date.now() - t0;
    assert.ok(took >= 2800 && took < 6000, `removed after ${took} ms`);
    const events = (await h.events('stubborn')).map((e) => `${e.reason} ${e.message}`);
    assert.ok(events.includes('Killing Stopping container app'), JSON.stringify(events));
  });

  test('a process that exits on SIGTERM lets the pod go at once, whatever the grace period', async () => {
    await h.create('polite', { terminationGracePeriodSeconds: 30, containers: [{ name: 'app', image: 'gasbugs/http-go' }] });
    const p = await h.waitFor('polite', 'Running', running);
    // Once it serves, its SIGTERM handler is installed (PID 1 ignores signals it has no handler for).
    await eventually(() => httpGet(`http://${p.status?.podIP}:8080/`), { timeoutMs: 5000, intervalMs: 50 });
    const t0 = Date.now();
    await h.client.pods('default').delete('polite');
    await h.waitGone('polite', 10_000);
    assert.ok(Date.now() - t0 < 2000, `removed after ${Date.now() - t0} ms`);
  });

  test('the preStop hook runs before the stop signal and within the grace period', async () => {
    const hits: number[] = [];
    const server = createServer((req, res) => {
      hits.push(Date.now());
      setTimeout(() => res.end('ok'), 1000);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      await h.create('hooked', {
        terminationGracePeriodSeconds: 10,
        containers: [{ name: 'app', image: 'gasbugs/http-go', lifecycle: { preStop: { httpGet: { host: '127.0.0.1', port, path: '/prestop' } } } }],
      });
      const p = await h.waitFor('hooked', 'Running', running);
      const ip = p.status?.podIP ?? '';
      await eventually(() => httpGet(`http://${ip}:8080/`), { timeoutMs: 5000, intervalMs: 50 });
      await h.client.pods('default').delete('hooked');
      await h.waitGone('hooked', 10_000);
      const gone = Date.now();
      assert.equal(hits.length, 1);
      assert.ok(gone - hits[0]! >= 900, `removed ${gone - hits[0]!} ms after the hook started`);
      await assert.rejects(fetch(`http://${ip}:8080/`, { signal: AbortSignal.timeout(1000) }));
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  test('a pod removed from the API by force has its processes killed within the minimum grace period', async () => {
    await h.create('forced', { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'sleep 600'], env: [{ name: 'KUBELOOP_TEST', value: 'forced-204' }] }] });
    await h.waitFor('forced', 'Running', running);
    assert.ok(processesWithEnv('KUBELOOP_TEST=forced-204').length >= 1);
    await h.client.pods('default').delete('forced', { gracePeriodSeconds: 0 });
    await eventually(() => processesWithEnv('KUBELOOP_TEST=forced-204').length === 0, { timeoutMs: 4000, message: 'processes of the removed pod gone' });
  });
});

describe('no process outlives the node', () => {
  test('stop() ends every process the agent started', async () => {
    const h = await startHarness(205);
    try {
      await h.create('web', { containers: [{ name: 'app', image: 'gasbugs/http-go' }] });
      await h.create('sleeper', { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'sleep 600 & sleep 600'] }] });
      await h.waitFor('web', 'Running', running);
      await h.waitFor('sleeper', 'Running', running);
      await sleep(100);
      const before = liveDescendants();
      assert.ok(before.length >= 4, `descendants: ${before.join(' ')}`);
      await h.agent.stop();
      await eventually(() => liveDescendants().length === 0, { timeoutMs: 2000, message: `no descendant left (${liveDescendants().join(' ')})` });
    } finally {
      await h.close();
    }
  });

  test('SIGKILL of the kubeloop process leaves no pod process alive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeloop-agent-crash-'));
    const marker = `crash-${process.pid}-${Date.now()}`;
    const script = join(dir, 'node.mjs');
    writeFileSync(
      script,
      `import { startNodeAgent } from ${JSON.stringify(new URL('./index.js', import.meta.url).href)};
import { memoryApi } from ${JSON.stringify(new URL('../../testing/index.js', import.meta.url).href)};
const api = await memoryApi();
const agent = await startNodeAgent({ client: api.client, nodeName: 'crash-node', nodeIP: '127.244.206.1', podCIDR: '127.244.206.0/24', dataDir: ${JSON.stringify(dir)}, clusterDNS: '127.96.0.10' });
const env = [{ name: 'KUBELOOP_TEST', value: ${JSON.stringify(marker)} }];
const pods = api.client.pods('default');
await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'crash-node', containers: [{ name: 'app', image: 'gasbugs/http-go', env }] } });
await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tree' }, spec: { nodeName: 'crash-node', containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'sleep 600 & sleep 600'], env }] } });
for (let i = 0; i < 400; i++) {
  const all = (await pods.list()).items;
  if (all.every((p) => p.status?.phase === 'Running')) break;
  await new Promise((r) => setTimeout(r, 25));
}
await new Promise((r) => setTimeout(r, 200));
console.log('running');
setInterval(() => {}, 1000);
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('child did not report running pods')), 20_000);
        createInterface({ input: child.stdout! }).once('line', (l) => {
          clearTimeout(timer);
          resolve(l);
        });
        child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
      });
      assert.equal(line, 'running');
      const pids = processesWithEnv(`KUBELOOP_TEST=${marker}`);
      assert.ok(pids.length >= 4, `pod processes: ${pids.join(' ')}`);
      child.kill('SIGKILL');
      await eventually(() => processesWithEnv(`KUBELOOP_TEST=${marker}`).length === 0, { timeoutMs: 5000, message: 'pod processes gone after SIGKILL of their node' });
    } finally {
      child.kill('SIGKILL');
      killAll(processesWithEnv(`KUBELOOP_TEST=${marker}`));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
