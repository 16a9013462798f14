// discovery.k8s.io/v1 (k8s.io/api/discovery/v1): EndpointSlice.
// Transcribed from the Kubernetes 1.32 OpenAPI definitions; list types, map keys and patch tags
// from the +listType/+listMapKey/+structType/+mapType markers and patchStrategy/patchMergeKey tags
// of the Go types. Field order is the OpenAPI (alphabetical) order.
import { object, field, list, map, enumOf, string, int32, bool } from './_dsl.js';
import { ObjectMeta } from './_meta.js';
import { ObjectReference } from './_core.js';

export const EndpointConditions = object('io.k8s.api.discovery.v1.EndpointConditions', {
  ready: bool,
  serving: bool,
  terminating: bool,
});

export const ForZone = object('io.k8s.api.discovery.v1.ForZone', {
  name: field(string, { required: true }),
});

export const EndpointHints = object('io.k8s.api.discovery.v1.EndpointHints', {
  forZones: list(ForZone),
});

export const Endpoint = object('io.k8s.api.discovery.v1.Endpoint', {
  addresses: field(list(string, { type: 'set' }), { required: true }),
  conditions: EndpointConditions,
  deprecatedTopology: map(string),
  hints: EndpointHints,
  hostname: string,
  nodeName: string,
  targetRef: ObjectReference,
  zone: string,
});

export const EndpointPort = object('io.k8s.api.discovery.v1.EndpointPort', {
  appProtocol: string,
  name: string,
  port: int32,
  protocol: enumOf(['SCTP', 'TCP', 'UDP'], 'v1.Protocol'),
});

export const EndpointSlice = object('io.k8s.api.discovery.v1.EndpointSlice', {
  addressType: field(enumOf(['FQDN', 'IPv4', 'IPv6'], 'v1.AddressType'), { required: true }),
  apiVersion: string,
  endpoints: field(list(Endpoint), { zero: 'null' }),
  kind: string,
  metadata: field(ObjectMeta, { zero: 'struct' }),
  ports: field(list(EndpointPort), { zero: 'null' }),
}, { gvk: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' } });
