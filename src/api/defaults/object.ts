// The defaulting dispatcher: one call for any served kind, by apiVersion/kind. Service defaulting
// lives in api/service (defaultService) and is not dispatched here.
import type { Deployment, ReplicaSet } from '../apps.js';
import type { Endpoints, Namespace, Node, Pod, Secret } from '../core.js';
import type { EndpointSlice } from '../discovery.js';
import type { KubeObject } from '../objects.js';
import { defaultEndpoints, defaultEndpointSlice, defaultNamespace, defaultNode, defaultSecret, type NamespaceDefaultOptions } from './core.js';
import { defaultPod } from './pod.js';
import { defaultDeployment, defaultReplicaSet } from './workloads.js';

export type DefaultOptions = NamespaceDefaultOptions;

// The casts are the one place a KubeObject becomes its kind: the table is keyed by apiVersion/kind.
const defaulters: Record<string, (o: KubeObject, opts: DefaultOptions) => void> = {
  'v1/Pod': (o) => defaultPod(o as unknown as Pod),
  'v1/Namespace': (o, opts) => defaultNamespace(o as Namespace, opts),
  'v1/Secret': (o) => defaultSecret(o as Secret),
  'v1/Endpoints': (o) => defaultEndpoints(o as Endpoints),
  'v1/Node': (o) => defaultNode(o as Node),
  'discovery.k8s.io/v1/EndpointSlice': (o) => defaultEndpointSlice(o as unknown as EndpointSlice),
  'apps/v1/Deployment': (o) => defaultDeployment(o as unknown as Deployment),
  'apps/v1/ReplicaSet': (o) => defaultReplicaSet(o as unknown as ReplicaSet),
};

/**
 * Applies upstream's defaults to `obj` in place (the caller owns it). Kinds without defaults
 * (ConfigMap, ServiceAccount, Event, Lease, Scale) and unknown kinds are left untouched.
 * Returns whether a defaulter ran.
 */
export function defaultObject(obj: KubeObject, opts: DefaultOptions = {}): boolean {
  const fn = defaulters[`${obj.apiVersion}/${obj.kind}`];
  if (!fn) return false;
  fn(obj, opts);
  return true;
}
