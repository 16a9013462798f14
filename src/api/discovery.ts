// discovery.k8s.io/v1 EndpointSlice.
import type { ObjectMeta } from './meta.js';
import type { ObjectReference, Protocol } from './core.js';

export interface EndpointConditions {
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
}

export interface Endpoint {
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  targetRef?: ObjectReference;
  nodeName?: string;
  zone?: string;
  hints?: { forZones?: { name: string }[] };
}

export interface EndpointSlicePort {
  /** Always present on slices kubeloop writes (possibly ""): kubectl describe dereferences it. */
  name?: string;
  protocol?: Protocol;
  port?: number;
  appProtocol?: string;
}

export interface EndpointSlice {
  apiVersion: 'discovery.k8s.io/v1';
  kind: 'EndpointSlice';
  metadata: ObjectMeta;
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  /** JSON has no omitempty here: a placeholder slice carries `null`. */
  endpoints: Endpoint[] | null;
  ports?: EndpointSlicePort[] | null;
}
