// Restart policies, CrashLoopBackOff (with the back-off shortened), start and config errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { podRow } from '../../api/index.js';
import { containerState, phase, running, sleep, startHarness, type Harness } from './_testing.js';

let h: Harness;
before(async () => {
  h = await startHarness(203, { crashLoopBackOff: { initialMs: 400, maxMs: 1600 } });
});
after(async () => {
  await h?.close();
});

test('a crashing container goes into CrashLoopBackOff with doubling waits and the upstream texts', async () => {
  const created = await h.create('crash', { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo crashing; exit 1'] }] });
  const uid = created.metadata.uid;
  const seen: { restarts: number; at: number }[] = [];
  let looping: Awaited<ReturnType<Harness['get']>> | undefined;
  const deadline = Date.now() + 12_000;
  while (Date.now() < deadline) {
    const p = await h.get('crash');
    const n = containerState(p)?.restartCount ?? 0;
    if (seen.length === 0 || seen[seen.length - 1]!.restarts !== n) seen.push({ restarts: n, at: Date.now() });
    if (containerState(p)?.state?.waiting?.reason === 'CrashLoopBackOff') looping = p;
    if (n >= 5) break;
    await sleep(20);
  }
  assert.ok(looping, 'saw CrashLoopBackOff');
  assert.equal(looping.status?.phase, 'Running');
  assert.equal(podRow(looping, new Date()).status, 'CrashLoopBackOff');
  const cs = containerState(looping);
  assert.match(cs?.state?.waiting?.message ?? '', new RegExp(`^back-off (400ms|800ms|1s|2s) restarting failed container=app pod=crash_default\\(${uid}\\)$`));
  assert.equal(cs?.lastState?.terminated?.exitCode, 1);
  assert.equal(cs?.lastState?.terminated?.reason, 'Error');
  assert.equal(cs?.ready, false);
  const last = seen[seen.length - 1]!;
  assert.ok(last.restarts >= 5, `restarts seen: ${JSON.stringify(seen.map((s) => s.restarts))}`);
  // Gaps grow: the 4th and 5th restarts wait at least the capped 1.6 s (minus polling slack).
  const gaps = seen.slice(1).map((s, i) => s.at - seen[i]!.at);
  assert.ok(gaps[gaps.length - 1]! >= 1200, `gaps ${JSON.stringify(gaps)}`);
  const events = (await h.events('crash')).map((e) => `${e.type} ${e.reason} ${e.message}`);
  assert.ok(events.includes(`Warning BackOff Back-off restarting failed container app in pod crash_default(${uid})`), JSON.stringify(events));
});

test('restartPolicy Never: a failing container ends the pod Failed with its exit code, never restarted', async () => {
  await h.create('never-fails', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'exit 3'] }] });
  const p = await h.waitFor('never-fails', 'Failed', phase('Failed'));
  assert.equal(containerState(p)?.state?.terminated?.exitCode, 3);
  assert.equal(containerState(p)?.restartCount, 0);
  assert.deepEqual(podRow(p, new Date()), { ready: '0/1', status: 'Error', restarts: '0' });
  assert.equal(p.status?.conditions?.find((c) => c.type === 'PodReadyToStartContainers')?.status, 'False', 'the sandbox is gone');
});

test('restartPolicy OnFailure: a failure restarts, a success completes the pod', async () => {
  // Fails on the first run (no marker yet), succeeds on the second: the working directory persists.
  await h.create('on-failure', { restartPolicy: 'OnFailure', containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'if [ -e marker ]; then echo second; exit 0; fi; touch marker; exit 1'] }] });
  const p = await h.waitFor('on-failure', 'Succeeded', phase('Succeeded'), 10_000);
  assert.equal(containerState(p)?.restartCount, 1);
  assert.equal(containerState(p)?.state?.terminated?.reason, 'Completed');
  assert.equal(containerState(p)?.lastState?.terminated?.exitCode, 1);
  assert.equal((await h.logs('on-failure')).body, 'second\n');
  assert.equal((await h.logs('on-failure', { previous: 'true' })).body, '');
});

test('a program that does not exist is a StartError (exit 128) that counts as a restart', async () => {
  await h.create('no-program', { containers: [{ name: 'app', image: 'busybox', command: ['no-such-program'] }] });
  const p = await h.waitFor('no-program', 'restarted after StartError', (x) => (containerState(x)?.restartCount ?? 0) >= 1 && Boolean(containerState(x)?.lastState?.terminated));
  const t = containerState(p)?.lastState?.terminated;
  assert.equal(t?.exitCode, 128);
  assert.equal(t?.reason, 'StartError');
  assert.match(t?.message ?? '', /exec: "no-such-program": executable file not found in \$PATH/);
});

test('a missing ConfigMap key is CreateContainerConfigError until the ConfigMap exists', async () => {
  await h.create('needs-config', {
    containers: [{ name: 'app', image: 'gasbugs/http-go', env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }] }],
  });
  const waiting = await h.waitFor('needs-config', 'CreateContainerConfigError', (x) => containerState(x)?.state?.waiting?.reason === 'CreateContainerConfigError');
  assert.equal(containerState(waiting)?.state?.waiting?.message, 'configmap "settings" not found');
  assert.equal(podRow(waiting, new Date()).status, 'CreateContainerConfigError');
  await h.client.configMaps('default').create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { mode: 'fast' } });
  // Any change to the pod makes the node look again (as would its periodic retry).
  await h.client.pods('default').patch('needs-config', 'merge', { metadata: { annotations: { touched: 'yes' } } });
  await h.waitFor('needs-config', 'Running', running);
});

test('activeDeadlineSeconds fails the pod with DeadlineExceeded and stops its containers', async () => {
  await h.create('deadline', {
    activeDeadlineSeconds: 1,
    containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 0.2; done"] }],
  });
  const p = await h.waitFor('deadline', 'Failed with its container stopped', (x) => phase('Failed')(x) && containerState(x)?.state?.terminated !== undefined, 10_000);
  assert.equal(p.status?.reason, 'DeadlineExceeded');
  assert.equal(p.status?.message, 'Pod was active on the node longer than the specified deadline');
  assert.equal(containerState(p)?.state?.terminated?.exitCode, 0);
  const events = (await h.events('deadline')).map((e) => `${e.reason} ${e.message}`);
  assert.ok(events.includes('DeadlineExceeded Pod was active on the node longer than the specified deadline'), JSON.stringify(events));
});

test('a postStart hook runs once the container started; a failing one gets it killed and restarted', async () => {
  await h.create('post-start', {
    containers: [
      {
        name: 'app',
        image: 'busybox',
        command: ['sh', '-c', 'while [ ! -e hooked ]; do sleep 0.1; done; cat hooked; sleep 600'],
        lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo from-hook > hooked'] } } },
      },
    ],
  });
  await h.waitFor('post-start', 'Running', running);
  const { eventually } = await import('../../testing/index.js');
  await eventually(async () => (await h.logs('post-start')).body === 'from-hook\n', { timeoutMs: 5000, message: 'the hook wrote before the program read' });

  await h.create('bad-hook', {
    containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 0.2; done"], lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo no way; exit 1'] } } } }],
  });
  await h.waitFor('bad-hook', 'restarted', (x) => (containerState(x)?.restartCount ?? 0) >= 1, 10_000);
  const events = (await h.events('bad-hook')).map((e) => `${e.reason} ${e.message}`);
  assert.ok(events.includes('FailedPostStartHook no way'), JSON.stringify(events));
});

test('a hostNetwork pod has the node\'s IP', async () => {
  await h.create('host-net', { hostNetwork: true, restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo $POD_IP'] }] });
  const p = await h.waitFor('host-net', 'Succeeded', phase('Succeeded'));
  assert.equal(p.status?.podIP, h.nodeIP);
  assert.equal((await h.logs('host-net')).body, `${h.nodeIP}\n`);
});
