import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podRow, type Pod, type PodStatus } from '../../api/index.js';
import { containerStatus, mergePodStatus, podStatusDraft, sameStatus, shouldRestart, type ContainerView } from './status.js';

const NOW = new Date('2026-11-01T12:00:00Z');
const T0 = '2026-11-01T11:59:00Z';

function pod(spec: Partial<Pod['spec']> = {}, status?: PodStatus): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u', creationTimestamp: T0 },
    spec: { containers: [{ name: 'app', image: 'busybox' }], restartPolicy: 'Always', ...spec },
    ...(status ? { status } : {}),
  };
}

const view = (v: Partial<ContainerView> = {}): ContainerView => ({ name: 'app', image: 'docker.io/library/busybox:latest', imageID: '', restartCount: 0, ...v });
const running = (ready = true) => ({ startedAt: T0, started: true, ready });
const exit = (code: number, reason = code === 0 ? 'Completed' : 'Error') => ({ exitCode: code, reason, startedAt: T0, finishedAt: '2026-11-01T11:59:50Z', containerID: 'kubeloop://abc' });

/** The status a pod gets, and what `kubectl get pods` prints for it (READY, STATUS, RESTARTS). */
function render(p: Pod, containers: ContainerView[], o: { inits?: ContainerView[]; terminal?: boolean; sandbox?: boolean } = {}) {
  const status = podStatusDraft({
    pod: p,
    initContainers: o.inits ?? [],
    containers,
    hostIP: '127.244.1.1',
    podIP: '127.244.1.5',
    startTime: T0,
    sandboxReady: o.sandbox ?? true,
    podIsTerminal: o.terminal ?? false,
  });
  const stored = mergePodStatus(undefined, status, T0);
  const row = podRow({ ...p, status: stored }, NOW);
  const cond = (t: string) => stored.conditions?.find((c) => c.type === t);
  return { status: stored, row, cond };
}

test('a new pod is Pending with ContainerCreating, 0/1 ready, addresses and all five conditions in upstream order', () => {
  const r = render(pod(), [view()], { sandbox: false });
  assert.equal(r.status.phase, 'Pending');
  assert.deepEqual(r.row, { ready: '0/1', status: 'ContainerCreating', restarts: '0' });
  assert.deepEqual(r.status.conditions?.map((c) => `${c.type}=${c.status}`), ['PodReadyToStartContainers=False', 'Initialized=True', 'Ready=False', 'ContainersReady=False', 'PodScheduled=True']);
  assert.equal(r.cond('Ready')?.message, 'containers with unready status: [app]');
  assert.equal(r.cond('Ready')?.reason, 'ContainersNotReady');
  assert.deepEqual([r.status.hostIP, r.status.podIP, r.status.podIPs, r.status.hostIPs], ['127.244.1.1', '127.244.1.5', [{ ip: '127.244.1.5' }], [{ ip: '127.244.1.1' }]]);
  assert.deepEqual(r.status.containerStatuses?.[0], {
    name: 'app',
    state: { waiting: { reason: 'ContainerCreating' } },
    lastState: {},
    ready: false,
    restartCount: 0,
    image: 'docker.io/library/busybox:latest',
    imageID: '',
    started: false,
  });
});

test('a running ready container makes the pod Running 1/1 with Ready=True', () => {
  const r = render(pod(), [view({ running: running(), containerID: 'kubeloop://abc', imageID: 'docker.io/library/busybox@sha256:1' })]);
  assert.equal(r.status.phase, 'Running');
  assert.deepEqual(r.row, { ready: '1/1', status: 'Running', restarts: '0' });
  assert.equal(r.cond('Ready')?.status, 'True');
  assert.equal(r.cond('ContainersReady')?.status, 'True');
  assert.equal(r.status.containerStatuses?.[0]?.started, true);
});

test('a failing readiness probe shows Running 0/1', () => {
  const r = render(pod(), [view({ running: running(false) })]);
  assert.deepEqual(r.row, { ready: '0/1', status: 'Running', restarts: '0' });
  assert.equal(r.cond('Ready')?.status, 'False');
});

test('a container waiting in back-off after crashing shows CrashLoopBackOff, its last termination and the restart age', () => {
  const r = render(pod(), [view({ exited: exit(1), waiting: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=app pod=p_default(u)' }, restartCount: 3 })]);
  assert.equal(r.status.phase, 'Running');
  assert.deepEqual(r.row, { ready: '0/1', status: 'CrashLoopBackOff', restarts: '3 (10s ago)' });
  assert.deepEqual(r.status.containerStatuses?.[0]?.lastState, { terminated: exit(1) });
});

test('restartPolicy Never: exit 0 is Succeeded/Completed, exit 1 is Failed/Error, both with PodCompleted/PodFailed readiness', () => {
  const ok = render(pod({ restartPolicy: 'Never' }), [view({ exited: exit(0) })]);
  assert.equal(ok.status.phase, 'Succeeded');
  assert.deepEqual(ok.row, { ready: '0/1', status: 'Completed', restarts: '0' });
  assert.deepEqual([ok.cond('Ready')?.reason, ok.cond('Initialized')?.reason], ['PodCompleted', 'PodCompleted']);
  const bad = render(pod({ restartPolicy: 'Never' }), [view({ exited: exit(1) })]);
  assert.equal(bad.status.phase, 'Failed');
  assert.deepEqual(bad.row, { ready: '0/1', status: 'Error', restarts: '0' });
  assert.equal(bad.cond('Ready')?.reason, 'PodFailed');
});

test('restartPolicy OnFailure: exit 0 completes the pod, a failure keeps it Running while it restarts', () => {
  assert.equal(render(pod({ restartPolicy: 'OnFailure' }), [view({ exited: exit(0) })]).status.phase, 'Succeeded');
  assert.equal(render(pod({ restartPolicy: 'OnFailure' }), [view({ exited: exit(2) })]).status.phase, 'Running');
  assert.deepEqual([shouldRestart('OnFailure', 0), shouldRestart('OnFailure', 2), shouldRestart('Never', 2), shouldRestart('Always', 0)], [false, true, false, true]);
});

test('init containers: Init:0/1 while one runs, PodInitializing for the rest, Init:Error when it fails under Never', () => {
  const p = pod({ initContainers: [{ name: 'setup', image: 'busybox' }] });
  const r = render(p, [view()], { inits: [view({ name: 'setup', running: running() })] });
  assert.equal(r.status.phase, 'Pending');
  assert.deepEqual(r.row, { ready: '0/1', status: 'Init:0/1', restarts: '0' });
  assert.equal(r.status.containerStatuses?.[0]?.state?.waiting?.reason, 'PodInitializing');
  assert.equal(r.cond('Initialized')?.message, 'containers with incomplete status: [setup]');

  const done = render(p, [view({ running: running() })], { inits: [view({ name: 'setup', exited: exit(0) })] });
  assert.equal(done.status.initContainerStatuses?.[0]?.ready, true, 'a completed init container is ready');
  assert.deepEqual(done.row, { ready: '1/1', status: 'Running', restarts: '0' });

  const failed = render({ ...p, spec: { ...p.spec, restartPolicy: 'Never' } }, [view()], { inits: [view({ name: 'setup', exited: exit(3) })] });
  assert.equal(failed.status.phase, 'Failed');
  assert.equal(failed.row.status, 'Init:Error');

  const looping = render(p, [view()], { inits: [view({ name: 'setup', exited: exit(1), waiting: { reason: 'CrashLoopBackOff' }, restartCount: 2 })] });
  assert.equal(looping.row.status, 'Init:CrashLoopBackOff');
});

test('an image that cannot be resolved keeps the pod Pending with ErrImagePull', () => {
  const r = render(pod(), [view({ waiting: { reason: 'ErrImagePull', message: 'Failed to pull image "nope": ...' } })]);
  assert.equal(r.status.phase, 'Pending');
  assert.equal(r.row.status, 'ErrImagePull');
});

test('a pod torn down for good is terminal even when a container never ran, and never leaves a terminal phase', () => {
  assert.equal(render(pod(), [view()], { terminal: true }).status.phase, 'Failed');
  assert.equal(render(pod(), [view({ exited: exit(0) })], { terminal: true }).status.phase, 'Succeeded');
  assert.equal(render(pod(), [view({ exited: exit(143) })], { terminal: true }).status.phase, 'Failed');
  const done = pod({}, { phase: 'Succeeded' });
  assert.equal(render(done, [view({ running: running() })]).status.phase, 'Succeeded');
});

test('merging keeps transition times while a condition holds, other conditions, qosClass and startTime', () => {
  const p = pod();
  const draft1 = podStatusDraft({ pod: p, initContainers: [], containers: [view({ running: running(false) })], hostIP: 'h', podIP: 'i', startTime: T0, sandboxReady: true, podIsTerminal: false });
  const old: PodStatus = {
    phase: 'Pending',
    qosClass: 'BestEffort',
    startTime: '2026-01-01T00:00:00Z',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
      { type: 'example.com/gate', status: 'True', lastTransitionTime: '2026-01-01T00:00:01Z' },
    ],
  };
  const s1 = mergePodStatus(old, draft1, '2026-11-01T12:00:00Z');
  assert.equal(s1.qosClass, 'BestEffort');
  assert.equal(s1.startTime, '2026-01-01T00:00:00Z');
  assert.equal(s1.conditions?.[0]?.type, 'example.com/gate');
  assert.equal(s1.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime, '2026-01-01T00:00:00Z');
  assert.equal(s1.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime, '2026-11-01T12:00:00Z');
  assert.ok(sameStatus(s1, mergePodStatus(s1, draft1, '2026-11-01T12:05:00Z')), 'the same draft later changes nothing');
  const draft2 = podStatusDraft({ pod: p, initContainers: [], containers: [view({ running: running(true) })], hostIP: 'h', podIP: 'i', startTime: T0, sandboxReady: true, podIsTerminal: false });
  const s2 = mergePodStatus(s1, draft2, '2026-11-01T12:05:00Z');
  assert.equal(s2.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime, '2026-11-01T12:05:00Z');
  assert.equal(s2.conditions?.find((c) => c.type === 'PodReadyToStartContainers')?.lastTransitionTime, '2026-11-01T12:00:00Z');
});

test('a container status lists running, then waiting-after-exit with lastState, then terminated', () => {
  assert.deepEqual(containerStatus(view({ running: running(), lastTerminated: exit(1), restartCount: 1 }), 'ContainerCreating').lastState, { terminated: exit(1) });
  const waiting = containerStatus(view({ exited: exit(1), waiting: { reason: 'CrashLoopBackOff' } }), 'ContainerCreating');
  assert.deepEqual([waiting.state, waiting.lastState], [{ waiting: { reason: 'CrashLoopBackOff' } }, { terminated: exit(1) }]);
  const term = containerStatus(view({ exited: exit(0), lastTerminated: exit(1) }), 'ContainerCreating');
  assert.deepEqual([term.state, term.lastState], [{ terminated: exit(0) }, { terminated: exit(1) }]);
});
