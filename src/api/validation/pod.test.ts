import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from '../core.js';
import { errorString, type FieldError } from '../field.js';
import { invalid } from '../errors.js';
import { defaultPod } from '../defaults/pod.js';
import { validatePod, validatePodStatusUpdate, validatePodUpdate } from './pod.js';

const msgs = (errs: FieldError[]) => errs.map(errorString);

/** A defaulted pod, as validation sees it after decode + defaulting. */
function pod(mut: (p: Pod) => void = () => {}, containers: Partial<Container>[] = [{}]): Pod {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: containers.map((c, i) => ({ name: i === 0 ? 'app' : `app${i}`, image: 'nginx:1.27', ...c }) as Container) },
  };
  mut(p);
  defaultPod(p);
  return p;
}

test('a defaulted pod with one container is valid', () => {
  assert.deepEqual(validatePod(pod()), []);
});

test('validatePod reports upstream messages for common container mistakes', () => {
  const cases: { name: string; pod: Pod; want: string[] }[] = [
    { name: 'no containers', pod: pod((p) => (p.spec.containers = [])), want: ['spec.containers: Required value'] },
    { name: 'image missing', pod: pod(() => {}, [{ image: '' }]), want: ['spec.containers[0].image: Required value'] },
    {
      name: 'container name is not a DNS-1123 label',
      pod: pod(() => {}, [{ name: 'My_App' }]),
      want: [
        `spec.containers[0].name: Invalid value: "My_App": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    },
    { name: 'duplicate container names', pod: pod(() => {}, [{ name: 'app' }, { name: 'app' }]), want: ['spec.containers[1].name: Duplicate value: "app"'] },
    {
      name: 'container port out of range',
      pod: pod(() => {}, [{ ports: [{ containerPort: 70000 }] }]),
      want: ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    },
    { name: 'container port zero is required', pod: pod(() => {}, [{ ports: [{ containerPort: 0 }] }]), want: ['spec.containers[0].ports[0].containerPort: Required value'] },
    {
      name: 'unsupported port protocol',
      pod: pod(() => {}, [{ ports: [{ containerPort: 80, protocol: 'HTTP' as never }] }]),
      want: ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    },
    {
      name: 'port name longer than 15 characters',
      pod: pod(() => {}, [{ ports: [{ name: 'averyveryverylongname', containerPort: 80 }] }]),
      want: ['spec.containers[0].ports[0].name: Invalid value: "averyveryverylongname": must be no more than 15 characters'],
    },
    {
      name: 'unsupported restartPolicy',
      pod: pod((p) => (p.spec.restartPolicy = 'Sometimes' as never)),
      want: ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    },
    {
      name: 'env name with "="',
      pod: pod(() => {}, [{ env: [{ name: 'A=B', value: 'x' }] }]),
      want: [`spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`],
    },
    { name: 'env name missing', pod: pod(() => {}, [{ env: [{ name: '', value: 'x' }] }]), want: ['spec.containers[0].env[0].name: Required value'] },
    {
      name: 'env value and valueFrom together',
      pod: pod(() => {}, [{ env: [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }]),
      want: ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
    },
    {
      name: 'probe without a handler',
      pod: pod(() => {}, [{ livenessProbe: {} }]),
      want: ['spec.containers[0].livenessProbe: Required value: must specify a handler type'],
    },
    {
      name: 'liveness probe successThreshold must be 1',
      pod: pod(() => {}, [{ livenessProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } }]),
      want: ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
    },
    {
      name: 'probe port out of range',
      pod: pod(() => {}, [{ readinessProbe: { httpGet: { port: 0 } } }]),
      want: ['spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    },
    {
      name: 'volume mount of an unknown volume',
      pod: pod(() => {}, [{ volumeMounts: [{ name: 'data', mountPath: '/data' }] }]),
      want: ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    },
    {
      name: 'requests above limits',
      pod: pod(() => {}, [{ resources: { limits: { cpu: '500m' }, requests: { cpu: '1000m' } } }]),
      want: ['spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m'],
    },
    {
      name: 'a regular container may not set restartPolicy',
      pod: pod(() => {}, [{ restartPolicy: 'Always' }]),
      want: ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
    },
    {
      name: 'image with surrounding whitespace',
      pod: pod(() => {}, [{ image: ' nginx' }]),
      want: ['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace'],
    },
  ];
  for (const c of cases) assert.deepEqual(msgs(validatePod(c.pod)), c.want, c.name);
});

test('several errors aggregate into one 422 message in upstream order', () => {
  const p = pod((x) => (x.spec.restartPolicy = 'Sometimes' as never), [{ ports: [{ containerPort: 70000 }] }]);
  assert.equal(
    invalid({ group: '', kind: 'Pod' }, 'web', validatePod(p)).message,
    'Pod "web" is invalid: [spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive, spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"]',
  );
});

test('init containers: Init probes are forbidden without restartPolicy Always, and names are unique across lists', () => {
  const p = pod((x) => {
    x.spec.initContainers = [
      { name: 'app', image: 'busybox' },
      { name: 'init', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } },
    ];
  });
  assert.deepEqual(msgs(validatePod(p)), [
    'spec.initContainers[0].name: Duplicate value: "app"',
    'spec.initContainers[1].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
  ]);
});

test('volumes need a name and exactly one source', () => {
  const p = pod((x) => {
    x.spec.volumes = [
      { name: 'a', emptyDir: {}, hostPath: { path: '/tmp' } },
      { name: 'b', configMap: {} },
    ];
  });
  assert.deepEqual(msgs(validatePod(p)), ['spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type', 'spec.volumes[1].configMap.name: Required value']);
});

const PREFIX =
  'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n';

test('validatePodUpdate allows image, activeDeadlineSeconds and added tolerations, forbids the rest', () => {
  const old = pod((p) => {
    p.metadata.resourceVersion = '7';
    p.metadata.uid = 'u';
  }, [{ ports: [{ containerPort: 80 }] }]);
  const next = (mut: (p: Pod) => void) => {
    const p = structuredClone(old);
    mut(p);
    return p;
  };
  assert.deepEqual(validatePodUpdate(next((p) => (p.spec.containers[0]!.image = 'nginx:1.28')), old), [], 'image may change');
  assert.deepEqual(validatePodUpdate(next((p) => (p.spec.activeDeadlineSeconds = 30)), old), [], 'activeDeadlineSeconds may be set');
  assert.deepEqual(validatePodUpdate(next((p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists' }])), old), [], 'tolerations may be added');
  assert.deepEqual(validatePodUpdate(next((p) => (p.metadata.labels = { a: 'b' })), old), [], 'metadata may change');

  const forbidden = msgs(validatePodUpdate(next((p) => (p.spec.containers[0]!.ports![0]!.containerPort = 8080)), old));
  assert.equal(forbidden.length, 1);
  assert.ok(forbidden[0]!.startsWith(PREFIX), forbidden[0]);

  assert.deepEqual(msgs(validatePodUpdate(next((p) => p.spec.containers.push({ ...p.spec.containers[0]!, name: 'b' })), old)), [
    'spec.containers: Forbidden: pod updates may not add or remove containers',
  ]);
  assert.deepEqual(msgs(validatePodUpdate(next((p) => (p.metadata.name = 'other')), old)), ['metadata.name: Invalid value: "other": field is immutable']);
});

test('validatePodStatusUpdate forbids moving a pod to another node through status', () => {
  const old = pod((p) => {
    p.metadata.resourceVersion = '7';
    p.spec.nodeName = 'node-1';
  });
  const next = structuredClone(old);
  next.spec.nodeName = 'node-2';
  next.status = { phase: 'Running', podIPs: [{ ip: '10.244.1.5' }] };
  assert.deepEqual(msgs(validatePodStatusUpdate(next, old)), ['status.nodeName: Forbidden: may not be changed directly']);
});
