// The schema of each kind kubeloop serves, by apiVersion and kind.
import type { StructNode } from './_dsl.js';
import { Binding, ConfigMap, Endpoints, Event, Namespace, Node, Pod, Secret, Service, ServiceAccount } from './_core.js';
import { Deployment, ReplicaSet } from './_apps.js';
import { Scale } from './_autoscaling.js';
import { EndpointSlice } from './_discovery.js';
import { Lease } from './_coordination.js';
import { DeleteOptions, ListMeta, Status } from './_meta.js';

/** meta/v1 types the REST operations use besides the kinds (request and response bodies). */
export const META_SCHEMAS = { Status, DeleteOptions, ListMeta } as const;

/** Every top-level kind with a schema, including Binding and Scale (subresource bodies). */
export const KIND_SCHEMAS: readonly StructNode[] = [
  Namespace,
  Node,
  Pod,
  Binding,
  Service,
  Endpoints,
  Event,
  ConfigMap,
  Secret,
  ServiceAccount,
  Deployment,
  ReplicaSet,
  Scale,
  EndpointSlice,
  Lease,
];

const apiVersionOf = (s: StructNode) => (s.gvk?.group ? `${s.gvk.group}/${s.gvk.version}` : (s.gvk?.version ?? ''));

const BY_KEY: ReadonlyMap<string, StructNode> = new Map(KIND_SCHEMAS.map((s) => [`${apiVersionOf(s)}/${s.gvk?.kind ?? ''}`, s]));

/** The schema of a kind, or undefined for kinds kubeloop does not serve. */
export function schemaFor(apiVersion: string, kind: string): StructNode | undefined {
  return BY_KEY.get(`${apiVersion}/${kind}`);
}
