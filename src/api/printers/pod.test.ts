import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus, Pod, PodStatus } from '../core.js';
import type { KubeObject } from '../objects.js';
import { podPrinter, podRow } from './pod.js';
import { render } from './_render.test-helper.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString().replace('.000Z', 'Z');

function pod(name: string, status: PodStatus, extra: Partial<Pod['spec']> = {}, meta: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', creationTimestamp: ago(192), ...meta },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...extra },
    status,
  };
}

const running = (extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name: 'app',
  ready: true,
  restartCount: 0,
  image: 'nginx',
  imageID: '',
  state: { running: { startedAt: ago(100) } },
  ...extra,
});
const waiting = (reason: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name: 'app',
  ready: false,
  restartCount: 0,
  image: 'nginx',
  imageID: '',
  state: { waiting: { reason } },
  ...extra,
});

test('pod STATUS follows printPod for the cases users see', () => {
  const cases: { name: string; pod: Pod; want: { ready: string; status: string; restarts: string } }[] = [
    { name: 'running', pod: pod('a', { phase: 'Running', containerStatuses: [running()] }), want: { ready: '1/1', status: 'Running', restarts: '0' } },
    { name: 'pending without statuses', pod: pod('a', { phase: 'Pending' }), want: { ready: '0/1', status: 'Pending', restarts: '0' } },
    { name: 'ContainerCreating', pod: pod('a', { phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] }), want: { ready: '0/1', status: 'ContainerCreating', restarts: '0' } },
    { name: 'ErrImagePull', pod: pod('a', { phase: 'Pending', containerStatuses: [waiting('ErrImagePull')] }), want: { ready: '0/1', status: 'ErrImagePull', restarts: '0' } },
    {
      name: 'CrashLoopBackOff with the age of the last restart',
      pod: pod('a', {
        phase: 'Running',
        containerStatuses: [waiting('CrashLoopBackOff', { restartCount: 4, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(45) } } })],
      }),
      want: { ready: '0/1', status: 'CrashLoopBackOff', restarts: '4 (45s ago)' },
    },
    {
      name: 'Completed',
      pod: pod('a', {
        phase: 'Succeeded',
        containerStatuses: [{ ...running(), ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
      }),
      want: { ready: '0/1', status: 'Completed', restarts: '0' },
    },
    {
      name: 'terminated without a reason shows the exit code',
      pod: pod('a', { phase: 'Failed', containerStatuses: [{ ...running(), ready: false, state: { terminated: { exitCode: 137 } } }] }),
      want: { ready: '0/1', status: 'ExitCode:137', restarts: '0' },
    },
    {
      name: 'terminated by a signal',
      pod: pod('a', { phase: 'Failed', containerStatuses: [{ ...running(), ready: false, state: { terminated: { exitCode: 0, signal: 9 } } }] }),
      want: { ready: '0/1', status: 'Signal:9', restarts: '0' },
    },
    {
      name: 'Terminating while running',
      pod: pod('a', { phase: 'Running', containerStatuses: [running()] }, {}, { deletionTimestamp: ago(1) }),
      want: { ready: '1/1', status: 'Terminating', restarts: '0' },
    },
    {
      name: 'a deleted pod on a lost node is Unknown',
      pod: pod('a', { phase: 'Running', reason: 'NodeLost', containerStatuses: [running()] }, {}, { deletionTimestamp: ago(1) }),
      want: { ready: '1/1', status: 'Unknown', restarts: '0' },
    },
    {
      name: 'a finished pod being deleted keeps its status',
      pod: pod('a', { phase: 'Succeeded', containerStatuses: [{ ...running(), ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }, {}, { deletionTimestamp: ago(1) }),
      want: { ready: '0/1', status: 'Completed', restarts: '0' },
    },
    { name: 'an evicted pod shows status.reason', pod: pod('a', { phase: 'Failed', reason: 'Evicted' }), want: { ready: '0/1', status: 'Evicted', restarts: '0' } },
    {
      name: 'scheduling gated',
      pod: pod('a', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      want: { ready: '0/1', status: 'SchedulingGated', restarts: '0' },
    },
    {
      name: 'Init:0/1 while the init container runs',
      pod: pod(
        'a',
        { phase: 'Pending', initContainerStatuses: [{ ...running(), name: 'init', ready: false }], containerStatuses: [waiting('PodInitializing')] },
        { initContainers: [{ name: 'init', image: 'busybox' }] },
      ),
      want: { ready: '0/1', status: 'Init:0/1', restarts: '0' },
    },
    {
      name: 'Init:CrashLoopBackOff',
      pod: pod(
        'a',
        { phase: 'Pending', initContainerStatuses: [waiting('CrashLoopBackOff', { name: 'init', restartCount: 2 })] },
        { initContainers: [{ name: 'init', image: 'busybox' }] },
      ),
      want: { ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '2' },
    },
    {
      name: 'Init:Error then Init:ExitCode',
      pod: pod(
        'a',
        { phase: 'Pending', initContainerStatuses: [{ ...running(), name: 'init', ready: false, state: { terminated: { exitCode: 3 } } }] },
        { initContainers: [{ name: 'init', image: 'busybox' }] },
      ),
      want: { ready: '0/1', status: 'Init:ExitCode:3', restarts: '0' },
    },
    {
      name: 'a started ready sidecar counts in READY and the total',
      pod: pod(
        'a',
        {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [{ ...running(), name: 'proxy', started: true }],
          containerStatuses: [running()],
        },
        { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] },
      ),
      want: { ready: '2/2', status: 'Running', restarts: '0' },
    },
    {
      name: 'Completed with another container still running shows NotReady without the Ready condition',
      pod: pod(
        'a',
        {
          phase: 'Running',
          containerStatuses: [running(), { ...running(), name: 'job', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
        },
        { containers: [{ name: 'app', image: 'nginx' }, { name: 'job', image: 'busybox' }] },
      ),
      want: { ready: '1/2', status: 'NotReady', restarts: '0' },
    },
  ];
  for (const c of cases) assert.deepEqual(podRow(c.pod, now), c.want, c.name);
});

test('kubectl get pods prints the §5.3 sample', () => {
  const pods = [
    pod('web-5d78c9869d-4xk2p', { phase: 'Running', podIPs: [{ ip: '10.244.1.5' }], containerStatuses: [running()] }, { nodeName: 'node-1' }),
    pod('web-5d78c9869d-8tq7w', {
      phase: 'Running',
      containerStatuses: [running({ restartCount: 1, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(45) } } })],
    }),
    pod('db-0', { phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] }, {}, { creationTimestamp: ago(5) }),
  ] as unknown as KubeObject[];
  assert.equal(
    render(podPrinter, pods, now),
    [
      'NAME                   READY   STATUS              RESTARTS      AGE',
      'web-5d78c9869d-4xk2p   1/1     Running             0             3m12s',
      'web-5d78c9869d-8tq7w   1/1     Running             1 (45s ago)   3m12s',
      'db-0                   0/1     ContainerCreating   0             5s',
    ].join('\n'),
  );
});

test('kubectl get pods -o wide prints the §5.3 sample', () => {
  const pods = [
    pod('web-5d78c9869d-4xk2p', { phase: 'Running', podIPs: [{ ip: '10.244.1.5' }], containerStatuses: [running()] }, { nodeName: 'node-1' }),
    pod('db-0', { phase: 'Pending' }, {}, { creationTimestamp: ago(5) }),
  ] as unknown as KubeObject[];
  assert.equal(
    render(podPrinter, pods, now, { wide: true }),
    [
      'NAME                   READY   STATUS    RESTARTS   AGE     IP           NODE     NOMINATED NODE   READINESS GATES',
      'web-5d78c9869d-4xk2p   1/1     Running   0          3m12s   10.244.1.5   node-1   <none>           <none>',
      'db-0                   0/1     Pending   0          5s      <none>       <none>   <none>           <none>',
    ].join('\n'),
  );
});

test('pod columns are the 1.32 set with Restarts as a string and wide ones at priority 1', () => {
  assert.deepEqual(
    podPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ],
  );
});

test('readiness gates print true/total and finished pods carry a Completed row condition', () => {
  const p = pod('a', { phase: 'Succeeded', conditions: [{ type: 'example.com/gate', status: 'True' }] }, { readinessGates: [{ conditionType: 'example.com/gate' }, { conditionType: 'example.com/other' }] });
  assert.equal(podPrinter.cells(p as unknown as KubeObject, now)[8], '1/2');
  assert.deepEqual(podPrinter.conditions?.(p as unknown as KubeObject), [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
});
