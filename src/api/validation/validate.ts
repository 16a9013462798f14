// One entry for the generic REST handler: validate any served kind by apiVersion/kind. Returns
// undefined for kinds validated elsewhere (Service lives in api/service) or not served.
import type { Deployment, ReplicaSet, Scale } from '../apps.js';
import type { Lease } from '../coordination.js';
import type { ConfigMap, Endpoints, Event, Namespace, Node, Pod, Secret, ServiceAccount } from '../core.js';
import type { EndpointSlice } from '../discovery.js';
import type { FieldError } from '../field.js';
import type { KubeObject } from '../objects.js';
import { validateConfigMap, validateConfigMapUpdate } from './configmap.js';
import { validateDeployment, validateDeploymentUpdate } from './deployment.js';
import { validateEndpoints, validateEndpointsUpdate, type EndpointValidationOptions } from './endpoints.js';
import { validateEndpointSlice, validateEndpointSliceUpdate } from './endpointslice.js';
import { validateEvent, validateEventUpdate } from './event.js';
import { validateLease, validateLeaseUpdate } from './lease.js';
import { validateNamespace, validateNamespaceUpdate } from './namespace.js';
import { validateNode, validateNodeUpdate } from './node.js';
import { validatePod, validatePodUpdate } from './pod.js';
import type { PodValidationOptions } from './podspec.js';
import { validateReplicaSet, validateReplicaSetUpdate } from './replicaset.js';
import { validateScale } from './scale.js';
import { validateSecret, validateSecretUpdate } from './secret.js';
import { validateServiceAccount, validateServiceAccountUpdate } from './serviceaccount.js';

export type ValidateOptions = PodValidationOptions & EndpointValidationOptions;

type Create = (o: KubeObject, opts: ValidateOptions) => FieldError[];
type Update = (o: KubeObject, old: KubeObject, opts: ValidateOptions) => FieldError[];

// The casts are the one place a KubeObject becomes its kind: the table is keyed by apiVersion/kind.
const validators: Record<string, { create: Create; update: Update }> = {
  'v1/Namespace': { create: (o) => validateNamespace(o as Namespace), update: (o, old) => validateNamespaceUpdate(o as Namespace, old as Namespace) },
  'v1/Node': { create: (o) => validateNode(o as Node), update: (o, old) => validateNodeUpdate(o as Node, old as Node) },
  'v1/Pod': {
    create: (o, opts) => validatePod(o as unknown as Pod, opts),
    update: (o, old, opts) => validatePodUpdate(o as unknown as Pod, old as unknown as Pod, opts),
  },
  'v1/ConfigMap': { create: (o) => validateConfigMap(o as ConfigMap), update: (o, old) => validateConfigMapUpdate(o as ConfigMap, old as ConfigMap) },
  'v1/Secret': { create: (o) => validateSecret(o as Secret), update: (o, old) => validateSecretUpdate(o as Secret, old as Secret) },
  'v1/ServiceAccount': {
    create: (o) => validateServiceAccount(o as ServiceAccount),
    update: (o, old) => validateServiceAccountUpdate(o as ServiceAccount, old as ServiceAccount),
  },
  'v1/Endpoints': {
    create: (o, opts) => validateEndpoints(o as Endpoints, opts),
    update: (o, old, opts) => validateEndpointsUpdate(o as Endpoints, old as Endpoints, opts),
  },
  'v1/Event': {
    create: (o) => validateEvent(o as unknown as Event),
    update: (o, old) => validateEventUpdate(o as unknown as Event, old as unknown as Event),
  },
  'discovery.k8s.io/v1/EndpointSlice': {
    create: (o, opts) => validateEndpointSlice(o as unknown as EndpointSlice, opts),
    update: (o, old, opts) => validateEndpointSliceUpdate(o as unknown as EndpointSlice, old as unknown as EndpointSlice, opts),
  },
  'coordination.k8s.io/v1/Lease': {
    create: (o) => validateLease(o as unknown as Lease),
    update: (o, old) => validateLeaseUpdate(o as unknown as Lease, old as unknown as Lease),
  },
  'apps/v1/Deployment': {
    create: (o, opts) => validateDeployment(o as unknown as Deployment, opts),
    update: (o, old, opts) => validateDeploymentUpdate(o as unknown as Deployment, old as unknown as Deployment, opts),
  },
  'apps/v1/ReplicaSet': {
    create: (o, opts) => validateReplicaSet(o as unknown as ReplicaSet, opts),
    update: (o, old, opts) => validateReplicaSetUpdate(o as unknown as ReplicaSet, old as unknown as ReplicaSet, opts),
  },
  'autoscaling/v1/Scale': { create: (o) => validateScale(o as unknown as Scale), update: (o) => validateScale(o as unknown as Scale) },
};

/** Create-time validation of a defaulted object; undefined if this module does not own the kind. */
export function validateObject(obj: KubeObject, opts: ValidateOptions = {}): FieldError[] | undefined {
  return validators[`${obj.apiVersion}/${obj.kind}`]?.create(obj, opts);
}

/** Update-time validation of a defaulted object against the stored one; undefined if not owned here. */
export function validateObjectUpdate(obj: KubeObject, old: KubeObject, opts: ValidateOptions = {}): FieldError[] | undefined {
  return validators[`${obj.apiVersion}/${obj.kind}`]?.update(obj, old, opts);
}
