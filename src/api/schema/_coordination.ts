// coordination.k8s.io/v1 (k8s.io/api/coordination/v1): Lease.
// Transcribed from the Kubernetes 1.32 OpenAPI definitions; list types, map keys and patch tags
// from the +listType/+listMapKey/+structType/+mapType markers and patchStrategy/patchMergeKey tags
// of the Go types. Field order is the OpenAPI (alphabetical) order.
import { object, field, string, int32, microTime } from './_dsl.js';
import { ObjectMeta } from './_meta.js';

export const LeaseSpec = object('io.k8s.api.coordination.v1.LeaseSpec', {
  acquireTime: microTime,
  holderIdentity: string,
  leaseDurationSeconds: int32,
  leaseTransitions: int32,
  preferredHolder: string,
  renewTime: microTime,
  strategy: string,
});

export const Lease = object('io.k8s.api.coordination.v1.Lease', {
  apiVersion: string,
  kind: string,
  metadata: field(ObjectMeta, { zero: 'struct' }),
  spec: field(LeaseSpec, { zero: 'struct' }),
}, { gvk: { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' } });
