// Probes on real containers: liveness restarts, readiness flips, startup gating, timing fields.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { podRow } from '../../api/index.js';
import { httpProbe, tcpProbe, ProbeState } from './probe.js';
import { containerState, ready, running, sleep, startHarness, type Harness } from './_testing.js';

let h: Harness;
before(async () => {
  h = await startHarness(202);
});
after(async () => {
  await h?.close();
});

/** A busybox script that exits at once on SIGTERM (sh as PID 1 ignores it otherwise). */
const script = (body: string) => ['sh', '-c', `trap 'exit 0' TERM; ${body}; while true; do sleep 1; done`];

describe('probe handlers', () => {
  test('thresholds: the result changes only after failureThreshold failures or successThreshold successes in a row', () => {
    const s = new ProbeState('readiness', 2, 3);
    assert.equal(s.result, 'failure');
    assert.deepEqual(['success', 'success', 'failure', 'failure', 'success', 'failure', 'failure', 'failure'].map((o) => s.record(o as 'success' | 'failure')), [
      false, true, false, false, false, false, false, true,
    ]);
    assert.equal(new ProbeState('liveness', 1, 3).result, 'success');
    assert.equal(new ProbeState('startup', 1, 3).result, 'unknown');
  });

  test('httpGet: 2xx and 3xx succeed, other codes fail with the kubelet\'s message, a refused port names the URL', async () => {
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/ok' ? 200 : req.url === '/moved' ? 302 : 503;
      res.end(req.headers['user-agent']);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const t = { podIP: '127.0.0.1', container: { name: 'c', ports: [{ name: 'web', containerPort: port }] }, exec: async () => ({ exitCode: 0, output: '', timedOut: false }) };
    try {
      assert.equal((await httpProbe({ path: '/ok', port: 'web' }, t, 1000)).outcome, 'success');
      assert.equal((await httpProbe({ path: '/moved', port }, t, 1000)).outcome, 'success');
      assert.deepEqual(await httpProbe({ path: '/bad', port }, t, 1000), { outcome: 'failure', message: 'HTTP probe failed with statuscode: 503' });
      assert.equal((await httpProbe({ path: '/', port: 'nope' }, t, 1000)).message, "couldn't find port: nope in container c");
    } finally {
      await new Promise((r) => server.close(r));
    }
    assert.deepEqual(await httpProbe({ path: '/healthz', port }, t, 1000), {
      outcome: 'failure',
      message: `Get "http://127.0.0.1:${port}/healthz": dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
    assert.deepEqual(await tcpProbe({ port }, t, 1000), { outcome: 'failure', message: `dial tcp 127.0.0.1:${port}: connect: connection refused` });
  });
});

describe('probes on running pods', () => {
  test('a failing liveness probe restarts the container: RESTARTS increments, with the upstream events', async () => {
    await h.create('live', {
      terminationGracePeriodSeconds: 5,
      containers: [
        {
          name: 'app',
          image: 'busybox',
          command: script('touch healthy; sleep 1; rm healthy'),
          livenessProbe: { exec: { command: ['cat', 'healthy'] }, periodSeconds: 1, failureThreshold: 2, timeoutSeconds: 1 },
        },
      ],
    });
    const p = await h.waitFor('live', 'restarted once', (x) => (containerState(x)?.restartCount ?? 0) >= 1 && running(x), 20_000);
    const cs = containerState(p);
    assert.equal(cs?.lastState?.terminated?.exitCode, 0, 'the trap made it exit 0 on SIGTERM');
    assert.match(podRow(p, new Date()).restarts, /^1 \(\d+s ago\)$/);
    const events = (await h.events('live')).map((e) => `${e.type} ${e.reason} ${e.message}`);
    assert.ok(events.some((e) => e.startsWith("Warning Unhealthy Liveness probe failed: cat: can't open 'healthy'")), JSON.stringify(events));
    assert.ok(events.includes('Normal Killing Container app failed liveness probe, will be restarted'), JSON.stringify(events));
  });

  test('a readiness probe drives Ready: 1/1 while it passes, 0/1 once it fails, without restarts', async () => {
    await h.create('readiness', {
      containers: [
        {
          name: 'app',
          image: 'busybox',
          command: script('touch ready; sleep 3; rm ready'),
          readinessProbe: { exec: { command: ['cat', 'ready'] }, periodSeconds: 1, failureThreshold: 1 },
        },
      ],
    });
    const up = await h.waitFor('readiness', 'Ready', ready, 10_000);
    assert.equal(podRow(up, new Date()).ready, '1/1');
    const down = await h.waitFor('readiness', 'not Ready', (x) => !ready(x), 10_000);
    assert.deepEqual(podRow(down, new Date()), { ready: '0/1', status: 'Running', restarts: '0' });
    assert.equal(down.status?.conditions?.find((c) => c.type === 'Ready')?.message, 'containers with unready status: [app]');
    assert.equal(containerState(down)?.started, true);
  });

  test('an httpGet readiness probe waits for initialDelaySeconds and for the server to answer', async () => {
    const t0 = Date.now();
    await h.create('http-ready', {
      containers: [{ name: 'app', image: 'gasbugs/http-go', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 'http' }, initialDelaySeconds: 2, periodSeconds: 1 } }],
    });
    await h.waitFor('http-ready', 'Running', running);
    const p = await h.get('http-ready');
    assert.equal(ready(p), false, 'not ready during the initial delay');
    await h.waitFor('http-ready', 'Ready', ready, 10_000);
    assert.ok(Date.now() - t0 >= 2000, `ready after ${Date.now() - t0} ms`);
  });

  test('a startup probe holds liveness and readiness until it passes; then the container is started', async () => {
    await h.create('startup', {
      containers: [
        {
          name: 'app',
          image: 'busybox',
          command: script('sleep 2; touch started'),
          startupProbe: { exec: { command: ['cat', 'started'] }, periodSeconds: 1, failureThreshold: 10 },
          livenessProbe: { exec: { command: ['cat', 'started'] }, periodSeconds: 1, failureThreshold: 1 },
        },
      ],
    });
    const early = await h.waitFor('startup', 'Running', running);
    assert.equal(containerState(early)?.started, false);
    assert.equal(ready(early), false);
    const later = await h.waitFor('startup', 'started and Ready', (x) => containerState(x)?.started === true && ready(x), 10_000);
    assert.equal(containerState(later)?.restartCount, 0, 'liveness did not run before startup passed');
  });

  test('a passing tcpSocket liveness probe leaves the container alone', async () => {
    await h.create('tcp-live', {
      containers: [{ name: 'app', image: 'gasbugs/http-go', livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 1, periodSeconds: 1, failureThreshold: 1 } }],
    });
    await h.waitFor('tcp-live', 'Running', running);
    await sleep(3000);
    const p = await h.get('tcp-live');
    assert.equal(containerState(p)?.restartCount, 0);
    assert.ok(running(p));
  });
});
