// `kubectl logs` as the node serves it: query parameters, follow, previous, upstream errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { badRequest, type ContainerStatus } from '../../api/index.js';
import { eventually } from '../../testing/index.js';
import { logContainerID, parseLogRequest } from './logs.js';
import { containerState, phase, running, startHarness, type Harness } from './_testing.js';

let h: Harness;
before(async () => {
  h = await startHarness(207, { crashLoopBackOff: { initialMs: 200, maxMs: 400 } });
});
after(async () => {
  await h?.close();
});

test('logs return what the container wrote, as text/plain, honouring tailLines, limitBytes and timestamps', async () => {
  await h.create('counter', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2'] }] });
  await h.waitFor('counter', 'Succeeded', phase('Succeeded'));
  const all = await h.logs('counter');
  assert.equal(all.status, 200);
  assert.equal(all.body.split('\n').filter((l) => l.startsWith('line')).length, 5);
  assert.ok(all.body.includes('oops\n'), 'stderr is part of the log');
  assert.equal((await h.logs('counter', { tailLines: '2' })).body.split('\n').length, 3);
  assert.equal((await h.logs('counter', { limitBytes: '7' })).body, 'line 1\n');
  const stamped = (await h.logs('counter', { timestamps: 'true', tailLines: '1' })).body;
  assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z (oops|line 5)\n$/);
  assert.equal((await h.logs('counter', { sinceTime: '2999-01-01T00:00:00Z' })).body, '');
  assert.equal((await h.logs('counter', { sinceSeconds: '3600' })).body, all.body);
});

test('follow streams new lines and ends when the container ends', async () => {
  await h.create('ticker', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'for i in 1 2 3; do echo tick $i; sleep 0.4; done'] }] });
  await h.waitFor('ticker', 'Running', running);
  const res = await h.logStream('ticker', { follow: 'true' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain/);
  const t0 = Date.now();
  let body = '';
  for await (const c of res) body += String(c);
  assert.equal(body, 'tick 1\ntick 2\ntick 3\n');
  assert.ok(Date.now() - t0 >= 500, 'it waited for the lines still to come');
  await h.waitFor('ticker', 'Succeeded', phase('Succeeded'));
});

test('previous shows the instance before a restart; without one it is the upstream 400', async () => {
  await h.create('restarter', { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'n=$(cat n 2>/dev/null || echo 0); echo run $n; echo $((n+1)) > n; [ $n -ge 2 ] && exec sleep 600; exit 1'] }] });
  const p = await h.waitFor('restarter', 'third run', (x) => containerState(x)?.restartCount === 2 && running(x), 10_000);
  await eventually(async () => (await h.logs('restarter')).body === 'run 2\n', { timeoutMs: 3000, message: 'the third run logged' });
  assert.equal((await h.logs('restarter', { previous: 'true' })).body, 'run 1\n');
  assert.equal(containerState(p)?.lastState?.terminated?.exitCode, 1);

  await h.create('fresh', { containers: [{ name: 'app', image: 'gasbugs/http-go' }] });
  await h.waitFor('fresh', 'Running', running);
  const none = await h.logs('fresh', { previous: 'true' });
  assert.deepEqual(none, { status: 400, body: 'previous terminated container "app" in pod "fresh" not found' });
});

test('an unknown container, or no container in a pod with several, is a 400 in upstream words', async () => {
  await h.create('two', {
    initContainers: [{ name: 'prep', image: 'busybox', command: ['true'] }],
    containers: [
      { name: 'a', image: 'gasbugs/http-go' },
      { name: 'b', image: 'busybox', command: ['sleep', '600'] },
    ],
  });
  assert.deepEqual(await h.logs('two', { container: 'nope' }), { status: 400, body: 'container nope is not valid for pod two' });
  assert.deepEqual(await h.logs('two'), { status: 400, body: 'a container name must be specified for pod two, choose one of: [a b] or one of the init containers: [prep]' });
  assert.deepEqual(await h.logs('two', { tailLines: '-1', container: 'a' }), { status: 400, body: 'tailLines: Invalid value: -1: must be greater than or equal to 0' });
});

test('which instance is read follows the container status, as the kubelet decides', () => {
  const term = (id: string) => ({ exitCode: 1, containerID: id });
  const cs = (s: Partial<ContainerStatus>): ContainerStatus => ({ name: 'c', ready: false, restartCount: 1, image: 'i', imageID: '', ...s });
  assert.equal(logContainerID('p', 'c', cs({ state: { running: {} }, containerID: 'k://2', lastState: { terminated: term('k://1') } }), false), 'k://2');
  assert.equal(logContainerID('p', 'c', cs({ state: { running: {} }, containerID: 'k://2', lastState: { terminated: term('k://1') } }), true), 'k://1');
  assert.equal(logContainerID('p', 'c', cs({ state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: term('k://1') } }), false), 'k://1');
  assert.throws(() => logContainerID('p', 'c', cs({ state: { waiting: { reason: 'ContainerCreating' } } }), false), {
    message: 'container "c" in pod "p" is waiting to start: ContainerCreating',
  });
  assert.throws(() => logContainerID('p', 'c', cs({ state: { waiting: { reason: 'ErrImagePull' } } }), false), { message: `container "c" in pod "p" is waiting to start: image can't be pulled` });
  assert.throws(() => parseLogRequest({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } }, new URLSearchParams('sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z')), badRequest('x').constructor);
});
