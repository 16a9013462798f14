import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodTemplateSpec } from '../core.js';
import { defaultPod, defaultPodTemplateSpec } from './pod.js';

test('defaultPod fills what a real API server returns for a minimal pod', () => {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }] },
  };
  defaultPod(pod);
  assert.deepEqual(pod.spec, {
    containers: [
      {
        name: 'app',
        image: 'nginx',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        imagePullPolicy: 'Always',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    enableServiceLinks: true,
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
  });
});

test('defaultPod keeps values the user set', () => {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'bb' },
    spec: {
      restartPolicy: 'Never',
      dnsPolicy: 'Default',
      terminationGracePeriodSeconds: 0,
      enableServiceLinks: false,
      containers: [{ name: 'bb', image: 'busybox', imagePullPolicy: 'Never', terminationMessagePolicy: 'FallbackToLogsOnError' }],
    },
  };
  defaultPod(pod);
  assert.equal(pod.spec.restartPolicy, 'Never');
  assert.equal(pod.spec.dnsPolicy, 'Default');
  assert.equal(pod.spec.terminationGracePeriodSeconds, 0);
  assert.equal(pod.spec.enableServiceLinks, false);
  assert.equal(pod.spec.containers[0]!.imagePullPolicy, 'Never');
  assert.equal(pod.spec.containers[0]!.terminationMessagePolicy, 'FallbackToLogsOnError');
});

test('probes get upstream timing defaults and HTTP probes a path and scheme', () => {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', image: 'x:1', readinessProbe: { httpGet: { port: 8080 } }, livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5 } }] },
  };
  defaultPod(pod);
  const c = pod.spec.containers[0]!;
  assert.deepEqual(c.readinessProbe, { httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.deepEqual(c.livenessProbe, { tcpSocket: { port: 8080 }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
});

test('pod-only defaults: requests copy limits and hostNetwork ports get a hostPort', () => {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      hostNetwork: true,
      containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: 9000 }], resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }],
    },
  };
  defaultPod(pod);
  const c = pod.spec.containers[0]!;
  assert.deepEqual(c.resources, { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
  assert.deepEqual(c.ports, [{ containerPort: 9000, hostPort: 9000, protocol: 'TCP' }]);
});

test('volumes without a source become emptyDir and file modes default to 0644', () => {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      containers: [{ name: 'a', image: 'x:1' }],
      volumes: [{ name: 'scratch' }, { name: 'cfg', configMap: { name: 'c' } }, { name: 'host', hostPath: { path: '/tmp' } }],
    },
  };
  defaultPod(pod);
  assert.deepEqual(pod.spec.volumes, [
    { name: 'scratch', emptyDir: {} },
    { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
    { name: 'host', hostPath: { path: '/tmp', type: '' } },
  ]);
});

test('pod templates get PodSpec defaults but not the pod-only ones', () => {
  const t: PodTemplateSpec = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'nginx:1.27', resources: { limits: { cpu: '1' } } }] } };
  defaultPodTemplateSpec(t);
  assert.equal(t.spec.restartPolicy, 'Always');
  assert.equal(t.spec.containers[0]!.imagePullPolicy, 'IfNotPresent');
  assert.equal(t.spec.enableServiceLinks, undefined);
  assert.equal(t.spec.containers[0]!.resources!.requests, undefined);
});
