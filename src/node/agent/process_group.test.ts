// The agent on the degraded runtime (process groups, what a non-root kubeloop gets): pods still
// run on their IPs with HOSTNAME set, exec works, and nothing is left after stop().
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../testing/index.js';
import { detectRuntime } from '../runtime/index.js';
import { httpGet, liveDescendants, phase, running, startHarness, type Harness } from './_testing.js';

let h: Harness;
before(async () => {
  h = await startHarness(211, { runtime: detectRuntime({ prefer: 'process-group' }) });
});
after(async () => {
  await h?.close();
});

test('in process-group mode a pod serves on its IP and sees its name in HOSTNAME', async () => {
  assert.equal(h.agent.runtime.mode, 'process-group');
  await h.create('pg-web', { containers: [{ name: 'app', image: 'gasbugs/http-go' }] });
  const p = await h.waitFor('pg-web', 'Running', running);
  const answer = await eventually(() => httpGet(`http://${p.status?.podIP}:8080/`), { timeoutMs: 5000, intervalMs: 50 });
  assert.equal(answer.body, 'pg-web\n');
  await h.create('pg-env', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo $HOSTNAME $POD_IP'] }] });
  const done = await h.waitFor('pg-env', 'Succeeded', phase('Succeeded'));
  assert.equal((await h.logs('pg-env')).body, `pg-env ${done.status?.podIP}\n`);
});

test('in process-group mode exec runs in the container\'s environment and stop() leaves no process', async () => {
  await h.create('pg-tree', { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'sleep 600 & sleep 600'] }] });
  const p = await h.waitFor('pg-tree', 'Running', running);
  const s = await h.agent.streams.exec(p, { container: 'app', command: ['sh', '-c', 'echo $HOSTNAME'], tty: false, stdin: false, stdout: true, stderr: false });
  let out = '';
  for await (const c of s.stdout ?? []) out += String(c);
  assert.equal(out, 'pg-tree\n');
  s.close();
  assert.ok(liveDescendants().length >= 3);
  await h.agent.stop();
  await eventually(() => liveDescendants().length === 0, { timeoutMs: 3000, message: `no descendant left (${liveDescendants().join(' ')})` });
});
