// A kubeloop restart on the same data dir: running pods come back on their IPs with honest
// restart counts and one process each; completed pods stay completed with their logs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../testing/index.js';
import { containerState, httpGet, isAlive, phase, processesWithEnv, ready, running, startHarness, type Harness } from './_testing.js';

let h: Harness;
before(async () => {
  h = await startHarness(208);
});
after(async () => {
  await h?.close();
});

const marker = (name: string) => [{ name: 'KUBELOOP_TEST', value: `readopt-${name}-${process.pid}` }];
const procs = (name: string) => processesWithEnv(`KUBELOOP_TEST=readopt-${name}-${process.pid}`);

test('after a restart, running pods run again on the same IPs, once, with RESTARTS 1 and an Unknown last state', async () => {
  await h.create('web', { containers: [{ name: 'app', image: 'gasbugs/http-go', env: marker('web') }] });
  await h.create('worker', { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo started; sleep 600'], env: marker('worker') }] });
  await h.create('job', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox', command: ['echo', 'job done'] }] });
  await h.create('one-shot', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox', command: ['sleep', '600'], env: marker('one-shot') }] });
  const web = await h.waitFor('web', 'Running', running);
  const worker = await h.waitFor('worker', 'Running', running);
  await h.waitFor('job', 'Succeeded', phase('Succeeded'));
  await h.waitFor('one-shot', 'Running', running);
  const before = { web: procs('web'), worker: procs('worker') };
  assert.ok(before.web.length >= 1 && before.worker.length >= 2, `processes: ${JSON.stringify(before)}`);

  await h.restart();
  const old = [...before.web, ...before.worker];
  await eventually(() => old.every((p) => !isAlive(p)), { timeoutMs: 2000, message: 'the old processes died with the old agent' });

  const web2 = await h.waitFor('web', 'running again', (p) => running(p) && ready(p) && containerState(p)?.restartCount === 1);
  const worker2 = await h.waitFor('worker', 'running again', (p) => running(p) && containerState(p)?.restartCount === 1);
  assert.equal(web2.status?.podIP, web.status?.podIP);
  assert.equal(worker2.status?.podIP, worker.status?.podIP);
  const last = containerState(web2)?.lastState?.terminated;
  assert.equal(last?.exitCode, 255);
  assert.equal(last?.reason, 'Unknown');
  assert.equal(containerState(web2)?.state?.running !== undefined, true);

  // One process each, none of the old ones.
  await eventually(() => procs('web').length === before.web.length && procs('worker').length === before.worker.length, { timeoutMs: 3000, message: 'one instance per container' });
  for (const pid of [...procs('web'), ...procs('worker')]) assert.ok(![...before.web, ...before.worker].includes(pid));
  const answer = await eventually(() => httpGet(`http://${web.status?.podIP}:8080/`), { timeoutMs: 5000, intervalMs: 50 });
  assert.equal(answer.body, 'web\n');

  // The instance from before the restart is the previous one.
  assert.equal((await h.logs('worker', { previous: 'true' })).body, 'started\n');
  assert.equal((await h.logs('worker')).body, 'started\n');

  // A completed pod stays completed, its logs kept; a Never pod that was cut short has failed.
  const job = await h.get('job');
  assert.equal(job.status?.phase, 'Succeeded');
  assert.equal((await h.logs('job')).body, 'job done\n');
  const oneShot = await h.waitFor('one-shot', 'Failed', phase('Failed'));
  assert.equal(containerState(oneShot)?.state?.terminated?.reason, 'Unknown');
  assert.equal(containerState(oneShot)?.restartCount, 0);
  assert.equal(procs('one-shot').length, 0);

  // New pods do not get an address a re-adopted pod holds.
  await h.create('newcomer', { containers: [{ name: 'app', image: 'gasbugs/http-go' }] });
  const newcomer = await h.waitFor('newcomer', 'Running', running);
  assert.ok(![web.status?.podIP, worker.status?.podIP].includes(newcomer.status?.podIP));
});
