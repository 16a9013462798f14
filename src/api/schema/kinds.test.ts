import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigMap, Deployment, EndpointSlice, Endpoints, Event, Lease, Namespace, Node, Pod, ReplicaSet, Scale, Secret, Service, ServiceAccount, Binding } from '../index.js';
import { allResourceTypes, apiVersionOf } from '../resources.js';
import { checkObject } from './decode.js';
import { fieldOf } from './decode.js';
import { schemaFor } from './kinds.js';
import type { Field, SchemaNode } from './_dsl.js';

/** The field at a dotted path, through structs, list items and map values. */
function fieldAt(apiVersion: string, kind: string, path: string): Field | undefined {
  let node: SchemaNode | undefined = schemaFor(apiVersion, kind);
  let f: Field | undefined;
  for (const name of path.split('.')) {
    while (node && (node.kind === 'list' || node.kind === 'map')) node = node.kind === 'list' ? node.items : node.values;
    f = node?.kind === 'struct' ? fieldOf(node, name) : undefined;
    node = f?.node;
  }
  return f;
}

const ts = '2026-01-01T00:00:00Z';
const meta = {
  name: 'x',
  generateName: 'x-',
  namespace: 'default',
  uid: 'u',
  resourceVersion: '1',
  generation: 1,
  creationTimestamp: ts,
  deletionTimestamp: ts,
  deletionGracePeriodSeconds: 30,
  labels: { a: 'b' },
  annotations: { a: 'b' },
  ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u', controller: true, blockOwnerDeletion: true }],
  finalizers: ['f'],
  managedFields: [{ manager: 'm', operation: 'Apply' as const, apiVersion: 'v1', time: ts, fieldsType: 'FieldsV1' as const, fieldsV1: {}, subresource: 'status' }],
  selfLink: '',
};
const probe = {
  exec: { command: ['true'] },
  httpGet: { path: '/', port: 80, host: 'h', scheme: 'HTTP' as const, httpHeaders: [{ name: 'a', value: 'b' }] },
  tcpSocket: { port: 'http', host: 'h' },
  grpc: { port: 1, service: 's' },
  initialDelaySeconds: 1,
  timeoutSeconds: 1,
  periodSeconds: 1,
  successThreshold: 1,
  failureThreshold: 1,
  terminationGracePeriodSeconds: 1,
};
const container = {
  name: 'c',
  image: 'i',
  command: ['a'],
  args: ['b'],
  workingDir: '/',
  ports: [{ name: 'http', hostPort: 1, containerPort: 80, protocol: 'TCP' as const, hostIP: '1.2.3.4' }],
  env: [
    { name: 'A', value: 'a' },
    {
      name: 'B',
      valueFrom: {
        fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' },
        resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1m' },
        configMapKeyRef: { name: 'cm', key: 'k', optional: true },
        secretKeyRef: { name: 's', key: 'k', optional: true },
      },
    },
  ],
  envFrom: [{ prefix: 'P', configMapRef: { name: 'cm', optional: true }, secretRef: { name: 's', optional: true } }],
  resources: { limits: { cpu: '1' }, requests: { memory: '1Gi' } },
  volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: true, subPath: 's' }],
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle: { postStart: { exec: { command: ['a'] } }, preStop: { sleep: { seconds: 1 }, httpGet: { port: 80 }, tcpSocket: { port: 80 } } },
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File' as const,
  imagePullPolicy: 'Always' as const,
  restartPolicy: 'Always' as const,
  securityContext: { runAsUser: 0 },
  stdin: true,
  stdinOnce: true,
  tty: true,
};
const podSpec = {
  containers: [container],
  initContainers: [container],
  volumes: [{ name: 'v', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' }, configMap: { name: 'cm', items: [{ key: 'k', path: 'p' }], defaultMode: 420, optional: true }, secret: { secretName: 's', items: [{ key: 'k', path: 'p' }], defaultMode: 420, optional: true }, hostPath: { path: '/', type: 'Directory' } }],
  restartPolicy: 'Always' as const,
  terminationGracePeriodSeconds: 30,
  activeDeadlineSeconds: 1,
  dnsPolicy: 'ClusterFirst' as const,
  dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a'], options: [{ name: 'ndots', value: '1' }] },
  nodeSelector: { a: 'b' },
  serviceAccountName: 'sa',
  serviceAccount: 'sa',
  automountServiceAccountToken: true,
  nodeName: 'n',
  hostNetwork: false,
  hostname: 'h',
  subdomain: 's',
  schedulerName: 'default-scheduler',
  tolerations: [{ key: 'k', operator: 'Exists' as const, value: 'v', effect: 'NoSchedule' as const, tolerationSeconds: 1 }],
  priority: 0,
  enableServiceLinks: true,
  securityContext: { runAsUser: 0 },
  readinessGates: [{ conditionType: 'c' }],
  preemptionPolicy: 'Never',
  affinity: { nodeAffinity: {} },
  hostAliases: [{ ip: '1.2.3.4', hostnames: ['h'] }],
};
const containerStatus = {
  name: 'c',
  state: { waiting: { reason: 'r', message: 'm' }, running: { startedAt: ts }, terminated: { exitCode: 0, signal: 1, reason: 'r', message: 'm', startedAt: ts, finishedAt: ts, containerID: 'id' } },
  lastState: {},
  ready: true,
  restartCount: 0,
  image: 'i',
  imageID: 'id',
  containerID: 'id',
  started: true,
};
const condition = { type: 'Ready', status: 'True' as const, observedGeneration: 1, lastTransitionTime: ts, reason: 'r', message: 'm' };

const fixtures = {
  pod: {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta,
    spec: podSpec,
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: ts, reason: 'r', message: 'm' }],
      message: 'm',
      reason: 'r',
      nominatedNodeName: 'n',
      hostIP: '1.2.3.4',
      hostIPs: [{ ip: '1.2.3.4' }],
      podIP: '1.2.3.4',
      podIPs: [{ ip: '1.2.3.4' }],
      startTime: ts,
      initContainerStatuses: [containerStatus],
      containerStatuses: [containerStatus],
      qosClass: 'BestEffort',
    },
  } satisfies Pod,
  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta,
    spec: {
      ports: [{ name: 'http', protocol: 'TCP', appProtocol: 'http', port: 80, targetPort: 8080, nodePort: 30080 }],
      selector: { a: 'b' },
      clusterIP: '10.0.0.1',
      clusterIPs: ['10.0.0.1'],
      type: 'LoadBalancer',
      externalIPs: ['1.2.3.4'],
      sessionAffinity: 'ClientIP',
      loadBalancerIP: '1.2.3.4',
      loadBalancerSourceRanges: ['0.0.0.0/0'],
      externalName: 'e',
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 30000,
      publishNotReadyAddresses: true,
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10 } },
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      allocateLoadBalancerNodePorts: true,
      loadBalancerClass: 'c',
      internalTrafficPolicy: 'Cluster',
      trafficDistribution: 'PreferClose',
    },
    status: { loadBalancer: { ingress: [{ ip: '1.2.3.4', hostname: 'h', ipMode: 'VIP', ports: [{ port: 80, protocol: 'TCP', error: 'e' }] }] }, conditions: [condition] },
  } satisfies Service,
  deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta,
    spec: {
      replicas: 1,
      selector: { matchLabels: { a: 'b' }, matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] },
      template: { metadata: meta, spec: podSpec },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
      minReadySeconds: 0,
      revisionHistoryLimit: 10,
      paused: false,
      progressDeadlineSeconds: 600,
    },
    status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, unavailableReplicas: 0, // api/apps.ts allows Condition's observedGeneration here; upstream's DeploymentCondition has none.
    conditions: [{ type: 'Available', status: 'True', lastTransitionTime: ts, lastUpdateTime: ts, reason: 'r', message: 'm' }], collisionCount: 0 },
  } satisfies Deployment,
  replicaSet: {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta,
    spec: { replicas: 1, minReadySeconds: 0, selector: { matchLabels: { a: 'b' } }, template: { spec: podSpec } },
    status: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1, conditions: [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: ts, reason: 'r', message: 'm' }] },
  } satisfies ReplicaSet,
  namespace: { apiVersion: 'v1', kind: 'Namespace', metadata: meta, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active', conditions: [{ type: 'T', status: 'True', lastTransitionTime: ts, reason: 'r', message: 'm' }] } } satisfies Namespace,
  node: {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta,
    spec: { podCIDR: '10.0.0.0/24', podCIDRs: ['10.0.0.0/24'], unschedulable: false, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule', timeAdded: ts }] },
    status: {
      capacity: { cpu: '1' },
      allocatable: { cpu: '1' },
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: ts, lastTransitionTime: ts, reason: 'r', message: 'm' }],
      addresses: [{ type: 'InternalIP', address: '1.2.3.4' }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: { machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: 'k', osImage: 'o', containerRuntimeVersion: 'c', kubeletVersion: 'v', kubeProxyVersion: 'v', operatingSystem: 'linux', architecture: 'amd64' },
    },
  } satisfies Node,
  endpoints: {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta,
    subsets: [{ addresses: [{ ip: '1.2.3.4', hostname: 'h', nodeName: 'n', targetRef: { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u', apiVersion: 'v1', resourceVersion: '1', fieldPath: 'f' } }], notReadyAddresses: [], ports: [{ name: 'http', port: 80, protocol: 'TCP', appProtocol: 'http' }] }],
  } satisfies Endpoints,
  event: {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta,
    involvedObject: { kind: 'Pod', name: 'p' },
    reason: 'r',
    message: 'm',
    source: { component: 'c', host: 'h' },
    firstTimestamp: ts,
    lastTimestamp: ts,
    count: 1,
    type: 'Normal',
    eventTime: '2026-01-01T00:00:00.000000Z',
    action: 'a',
    reportingComponent: 'c',
    reportingInstance: 'i',
    series: { count: 1, lastObservedTime: '2026-01-01T00:00:00.000000Z' },
    related: { kind: 'Pod', name: 'p' },
  } satisfies Event,
  configMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { a: 'b' }, binaryData: { a: 'aGk=' }, immutable: false } satisfies ConfigMap,
  secret: { apiVersion: 'v1', kind: 'Secret', metadata: meta, data: { a: 'aGk=' }, stringData: { a: 'b' }, type: 'Opaque', immutable: false } satisfies Secret,
  serviceAccount: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta, secrets: [{ name: 's' }], automountServiceAccountToken: true } satisfies ServiceAccount,
  binding: { apiVersion: 'v1', kind: 'Binding', metadata: meta, target: { kind: 'Node', name: 'n', namespace: '', apiVersion: 'v1' } } satisfies Binding,
  scale: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: meta, spec: { replicas: 1 }, status: { replicas: 1, selector: 'a=b' } } satisfies Scale,
  endpointSlice: {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: meta,
    addressType: 'IPv4',
    endpoints: [{ addresses: ['1.2.3.4'], conditions: { ready: true, serving: true, terminating: false }, hostname: 'h', targetRef: { kind: 'Pod', name: 'p' }, nodeName: 'n', zone: 'z', hints: { forZones: [{ name: 'z' }] } }],
    ports: [{ name: '', protocol: 'TCP', port: 80, appProtocol: 'http' }],
  } satisfies EndpointSlice,
  lease: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: meta, spec: { holderIdentity: 'h', leaseDurationSeconds: 40, acquireTime: '2026-01-01T00:00:00.000000Z', renewTime: '2026-01-01T00:00:00.000000Z', leaseTransitions: 0 } } satisfies Lease,
};

describe('schemaFor', () => {
  it('has a schema for every served resource, for Binding and Scale, and none for other kinds', () => {
    for (const t of allResourceTypes) assert.ok(schemaFor(apiVersionOf(t), t.kind), `${t.kind}`);
    assert.ok(schemaFor('v1', 'Binding'));
    assert.ok(schemaFor('autoscaling/v1', 'Scale'));
    assert.equal(schemaFor('apps/v1', 'DaemonSet'), undefined);
    assert.equal(schemaFor('v1', 'Deployment'), undefined);
    assert.equal(schemaFor('v1', 'toString'), undefined);
  });

  it('knows every field of the api/ types, with the right JSON types', () => {
    for (const [name, obj] of Object.entries(fixtures)) {
      assert.deepEqual(checkObject(obj, obj), { unknown: [], typeErrors: [] }, name);
    }
  });

  it('carries the list types and keys server-side apply merges by', () => {
    const cases: [string, string, string, string, string[]][] = [
      ['v1', 'Service', 'spec.ports', 'map', ['port', 'protocol']],
      ['v1', 'Pod', 'spec.containers', 'map', ['name']],
      ['v1', 'Pod', 'spec.containers.ports', 'map', ['containerPort', 'protocol']],
      ['v1', 'Pod', 'spec.tolerations', 'atomic', []],
      ['v1', 'Pod', 'metadata.finalizers', 'set', []],
      ['v1', 'Pod', 'spec.topologySpreadConstraints', 'map', ['topologyKey', 'whenUnsatisfiable']],
      ['discovery.k8s.io/v1', 'EndpointSlice', 'endpoints.addresses', 'set', []],
    ];
    for (const [apiVersion, kind, path, listType, keys] of cases) {
      const node = fieldAt(apiVersion, kind, path)?.node;
      assert.ok(node?.kind === 'list', `${kind} ${path}`);
      assert.equal(node.listType, listType, `${kind} ${path}`);
      assert.deepEqual([...(node.keys ?? [])], keys, `${kind} ${path}`);
    }
  });

  it('defaults the protocol list-map key, and marks atomic structs and maps', () => {
    assert.equal(fieldAt('v1', 'Service', 'spec.ports.protocol')?.default, 'TCP');
    assert.equal(fieldAt('v1', 'Pod', 'spec.containers.ports.protocol')?.default, 'TCP');
    const selector = fieldAt('apps/v1', 'Deployment', 'spec.selector')?.node;
    assert.ok(selector?.kind === 'struct' && selector.atomic === true);
    const svcSelector = fieldAt('v1', 'Service', 'spec.selector')?.node;
    assert.ok(svcSelector?.kind === 'map' && svcSelector.atomic === true);
  });

  it('carries the strategic merge patch tags of the Go types', () => {
    assert.deepEqual(
      [fieldAt('v1', 'Service', 'spec.ports')?.patchMergeKey, fieldAt('v1', 'Service', 'spec.ports')?.patchStrategy],
      ['port', 'merge'],
    );
    assert.equal(fieldAt('v1', 'Pod', 'spec.volumes')?.patchStrategy, 'merge,retainKeys');
    assert.equal(fieldAt('apps/v1', 'Deployment', 'spec.strategy')?.patchStrategy, 'retainKeys');
    assert.equal(fieldAt('v1', 'Pod', 'spec.tolerations')?.patchStrategy, undefined);
  });
});
