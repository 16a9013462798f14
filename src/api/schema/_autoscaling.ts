// autoscaling/v1 (k8s.io/api/autoscaling/v1): Scale, the /scale subresource body.
// Transcribed from the Kubernetes 1.32 OpenAPI definitions; list types, map keys and patch tags
// from the +listType/+listMapKey/+structType/+mapType markers and patchStrategy/patchMergeKey tags
// of the Go types. Field order is the OpenAPI (alphabetical) order.
import { object, field, string, int32 } from './_dsl.js';
import { ObjectMeta } from './_meta.js';

export const ScaleSpec = object('io.k8s.api.autoscaling.v1.ScaleSpec', {
  replicas: int32,
});

export const ScaleStatus = object('io.k8s.api.autoscaling.v1.ScaleStatus', {
  replicas: field(int32, { required: true }),
  selector: string,
});

export const Scale = object('io.k8s.api.autoscaling.v1.Scale', {
  apiVersion: string,
  kind: string,
  metadata: field(ObjectMeta, { zero: 'struct' }),
  spec: field(ScaleSpec, { zero: 'struct' }),
  status: field(ScaleStatus, { zero: 'struct' }),
}, { gvk: { group: 'autoscaling', version: 'v1', kind: 'Scale' } });
