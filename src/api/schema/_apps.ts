// apps/v1 (k8s.io/api/apps/v1): Deployment and ReplicaSet.
// Transcribed from the Kubernetes 1.32 OpenAPI definitions; list types, map keys and patch tags
// from the +listType/+listMapKey/+structType/+mapType markers and patchStrategy/patchMergeKey tags
// of the Go types. Field order is the OpenAPI (alphabetical) order.
import { object, field, list, enumOf, named, string, int32, int64, bool, intOrString, time } from './_dsl.js';
import { ObjectMeta, LabelSelector } from './_meta.js';
import { PodTemplateSpec } from './_core.js';

export const RollingUpdateDeployment = object('io.k8s.api.apps.v1.RollingUpdateDeployment', {
  maxSurge: intOrString,
  maxUnavailable: intOrString,
});

export const DeploymentStrategy = object('io.k8s.api.apps.v1.DeploymentStrategy', {
  rollingUpdate: RollingUpdateDeployment,
  type: enumOf(['Recreate', 'RollingUpdate'], 'v1.DeploymentStrategyType'),
});

export const DeploymentSpec = object('io.k8s.api.apps.v1.DeploymentSpec', {
  minReadySeconds: int32,
  paused: bool,
  progressDeadlineSeconds: int32,
  replicas: int32,
  revisionHistoryLimit: int32,
  selector: field(LabelSelector, { required: true }),
  strategy: field(DeploymentStrategy, { patchStrategy: 'retainKeys', zero: 'struct' }),
  template: field(PodTemplateSpec, { required: true, zero: 'struct' }),
});

export const DeploymentCondition = object('io.k8s.api.apps.v1.DeploymentCondition', {
  lastTransitionTime: time,
  lastUpdateTime: time,
  message: string,
  reason: string,
  status: field(named('v1.ConditionStatus'), { required: true }),
  type: field(named('v1.DeploymentConditionType'), { required: true }),
});

export const DeploymentStatus = object('io.k8s.api.apps.v1.DeploymentStatus', {
  availableReplicas: int32,
  collisionCount: int32,
  conditions: field(list(DeploymentCondition, { type: 'map', keys: ['type'] }), { patchStrategy: 'merge', patchMergeKey: 'type' }),
  observedGeneration: int64,
  readyReplicas: int32,
  replicas: int32,
  unavailableReplicas: int32,
  updatedReplicas: int32,
});

export const Deployment = object('io.k8s.api.apps.v1.Deployment', {
  apiVersion: string,
  kind: string,
  metadata: field(ObjectMeta, { zero: 'struct' }),
  spec: field(DeploymentSpec, { zero: 'struct' }),
  status: field(DeploymentStatus, { zero: 'struct' }),
}, { gvk: { group: 'apps', version: 'v1', kind: 'Deployment' } });

export const ReplicaSetSpec = object('io.k8s.api.apps.v1.ReplicaSetSpec', {
  minReadySeconds: int32,
  replicas: int32,
  selector: field(LabelSelector, { required: true }),
  template: field(PodTemplateSpec, { zero: 'struct' }),
});

export const ReplicaSetCondition = object('io.k8s.api.apps.v1.ReplicaSetCondition', {
  lastTransitionTime: time,
  message: string,
  reason: string,
  status: field(named('v1.ConditionStatus'), { required: true }),
  type: field(named('v1.ReplicaSetConditionType'), { required: true }),
});

export const ReplicaSetStatus = object('io.k8s.api.apps.v1.ReplicaSetStatus', {
  availableReplicas: int32,
  conditions: field(list(ReplicaSetCondition, { type: 'map', keys: ['type'] }), { patchStrategy: 'merge', patchMergeKey: 'type' }),
  fullyLabeledReplicas: int32,
  observedGeneration: int64,
  readyReplicas: int32,
  replicas: field(int32, { required: true }),
});

export const ReplicaSet = object('io.k8s.api.apps.v1.ReplicaSet', {
  apiVersion: string,
  kind: string,
  metadata: field(ObjectMeta, { zero: 'struct' }),
  spec: field(ReplicaSetSpec, { zero: 'struct' }),
  status: field(ReplicaSetStatus, { zero: 'struct' }),
}, { gvk: { group: 'apps', version: 'v1', kind: 'ReplicaSet' } });
