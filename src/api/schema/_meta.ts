// meta/v1 (k8s.io/apimachinery/pkg/apis/meta/v1) types the served kinds embed.
// Transcribed from the Kubernetes 1.32 OpenAPI definitions; list types, map keys and patch tags
// from the +listType/+listMapKey/+structType/+mapType markers and patchStrategy/patchMergeKey tags
// of the Go types. Field order is the OpenAPI (alphabetical) order.
import { object, field, list, map, string, int32, int64, bool, time, fieldsV1 } from './_dsl.js';

export const Condition = object('io.k8s.apimachinery.pkg.apis.meta.v1.Condition', {
  lastTransitionTime: field(time, { required: true }),
  message: field(string, { required: true }),
  observedGeneration: int64,
  reason: field(string, { required: true }),
  status: field(string, { required: true }),
  type: field(string, { required: true }),
});

export const Preconditions = object('io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions', {
  resourceVersion: string,
  uid: string,
});

export const DeleteOptions = object('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions', {
  apiVersion: string,
  dryRun: list(string),
  gracePeriodSeconds: int64,
  ignoreStoreReadErrorWithClusterBreakingPotential: bool,
  kind: string,
  orphanDependents: bool,
  preconditions: Preconditions,
  propagationPolicy: string,
});

export const LabelSelectorRequirement = object('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement', {
  key: field(string, { required: true }),
  operator: field(string, { required: true }),
  values: list(string),
});

export const LabelSelector = object('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector', {
  matchExpressions: list(LabelSelectorRequirement),
  matchLabels: map(string),
}, { atomic: true });

export const ListMeta = object('io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta', {
  continue: string,
  remainingItemCount: int64,
  resourceVersion: string,
  selfLink: string,
});

export const ManagedFieldsEntry = object('io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry', {
  apiVersion: string,
  fieldsType: string,
  fieldsV1: fieldsV1,
  manager: string,
  operation: string,
  subresource: string,
  time: time,
});

export const OwnerReference = object('io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference', {
  apiVersion: field(string, { required: true }),
  blockOwnerDeletion: bool,
  controller: bool,
  kind: field(string, { required: true }),
  name: field(string, { required: true }),
  uid: field(string, { required: true }),
}, { atomic: true });

export const ObjectMeta = object('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', {
  annotations: map(string),
  creationTimestamp: field(time, { zero: 'null' }),
  deletionGracePeriodSeconds: int64,
  deletionTimestamp: time,
  finalizers: field(list(string, { type: 'set' }), { patchStrategy: 'merge' }),
  generateName: string,
  generation: int64,
  labels: map(string),
  managedFields: list(ManagedFieldsEntry),
  name: string,
  namespace: string,
  ownerReferences: field(list(OwnerReference, { type: 'map', keys: ['uid'] }), { patchStrategy: 'merge', patchMergeKey: 'uid' }),
  resourceVersion: string,
  selfLink: string,
  uid: string,
});

export const StatusCause = object('io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause', {
  field: string,
  message: string,
  reason: string,
});

export const StatusDetails = object('io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails', {
  causes: list(StatusCause),
  group: string,
  kind: string,
  name: string,
  retryAfterSeconds: int32,
  uid: string,
});

export const Status = object('io.k8s.apimachinery.pkg.apis.meta.v1.Status', {
  apiVersion: string,
  code: int32,
  details: StatusDetails,
  kind: string,
  message: string,
  metadata: ListMeta,
  reason: string,
  status: string,
});
