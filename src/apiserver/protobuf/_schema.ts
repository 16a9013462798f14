// Loads the .proto texts into one protobufjs Root (once, on first use) and maps the kinds this
// package decodes to their message types.
import protobuf from 'protobufjs';
import { APPS_V1_PROTO, BATCH_V1_PROTO } from './_proto_apps_batch.js';
import { CORE_V1_PROTO } from './_proto_core.js';
import { INTSTR_PROTO, META_V1_PROTO, RESOURCE_PROTO, RUNTIME_PROTO } from './_proto_meta.js';

/** `apiVersion/kind` → fully qualified message name. */
const KIND_TYPES: ReadonlyMap<string, string> = new Map([
  ['v1/Namespace', 'k8s.io.api.core.v1.Namespace'],
  ['v1/Service', 'k8s.io.api.core.v1.Service'],
  ['v1/ConfigMap', 'k8s.io.api.core.v1.ConfigMap'],
  ['v1/Secret', 'k8s.io.api.core.v1.Secret'],
  ['v1/ServiceAccount', 'k8s.io.api.core.v1.ServiceAccount'],
  ['v1/Pod', 'k8s.io.api.core.v1.Pod'],
  ['apps/v1/Deployment', 'k8s.io.api.apps.v1.Deployment'],
  ['batch/v1/Job', 'k8s.io.api.batch.v1.Job'],
  ['batch/v1/CronJob', 'k8s.io.api.batch.v1.CronJob'],
]);

export const UNKNOWN_TYPE = 'k8s.io.apimachinery.pkg.runtime.Unknown';

let root: protobuf.Root | undefined;

function schemaRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  // keepCase: the proto field names are the JSON names (apiVersion, clusterIP, …) and must stay so.
  for (const text of [RUNTIME_PROTO, INTSTR_PROTO, RESOURCE_PROTO, META_V1_PROTO, CORE_V1_PROTO, APPS_V1_PROTO, BATCH_V1_PROTO]) {
    protobuf.parse(text, r, { keepCase: true });
  }
  r.resolveAll();
  root = r;
  return r;
}

export function messageType(fullName: string): protobuf.Type {
  return schemaRoot().lookupType(fullName);
}

/** The message type for an object of this kind, or undefined when this package cannot decode it. */
export function kindType(apiVersion: string, kind: string): protobuf.Type | undefined {
  const name = KIND_TYPES.get(`${apiVersion}/${kind}`);
  return name === undefined ? undefined : messageType(name);
}

export function supportedKinds(): { apiVersion: string; kind: string }[] {
  return [...KIND_TYPES.keys()].map((k) => {
    const i = k.lastIndexOf('/');
    return { apiVersion: k.slice(0, i), kind: k.slice(i + 1) };
  });
}
