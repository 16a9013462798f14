// Subresources with their own logic (pods/binding, */scale), shared by the HTTP handlers and the
// in-process client so both transports behave the same.
import { badRequest, conflict, formatLabelSelector, OBJECT_MODIFIED, type LabelSelector, type Pod, type Scale, type Stored } from '../../api/index.js';
import { gr, rfc3339, type AnyStored, type PatchType, type Registry, type WriteOptions } from './registry.js';
import type { ResourceDef } from './types.js';

/**
 * Binds a pod to a node in one write, as upstream's binding storage does: sets spec.nodeName
 * (409 if the pod is already bound or being deleted) and the PodScheduled=True condition.
 */
export async function bindPod(registry: Registry, namespace: string, name: string, nodeName: string, opts: WriteOptions = {}): Promise<void> {
  const pods = registry.mustResource('pods');
  await registry.guaranteedUpdate(
    pods,
    namespace,
    name,
    (cur) => {
      const pod = cur as unknown as Stored<Pod>;
      if (pod.metadata.deletionTimestamp) throw conflict(gr(pods.type), name, 'pod is being deleted, cannot be assigned to a host');
      if (pod.spec.nodeName) throw conflict(gr(pods.type), name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
      pod.spec.nodeName = nodeName;
      pod.status ??= {};
      const conds = (pod.status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(new Date()) });
      pod.status.conditions = conds;
      return pod;
    },
    { ...opts, subresource: 'binding' },
  );
}

type Scalable = AnyStored & { spec: { replicas?: number; selector?: LabelSelector }; status?: { replicas?: number } };

export function toScale(o: AnyStored): Scale {
  const s = o as Scalable;
  const selector = s.spec.selector ? formatLabelSelector(s.spec.selector) : '';
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace ?? '',
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: s.spec.replicas ?? 0 },
    status: { replicas: s.status?.replicas ?? 0, selector: selector === '<none>' ? '' : selector },
  };
}

export async function getScale(registry: Registry, res: ResourceDef, namespace: string | undefined, name: string): Promise<Scale> {
  return toScale(await registry.get(res, namespace, name));
}

/** Updates spec.replicas through a Scale: a whole Scale (PUT) or a patch of one. */
export async function updateScale(
  registry: Registry,
  res: ResourceDef,
  namespace: string | undefined,
  name: string,
  change: { scale: Scale } | { patch: unknown; type: PatchType },
  opts: WriteOptions = {},
): Promise<Scale> {
  const obj = await registry.guaranteedUpdate(
    res,
    namespace,
    name,
    (cur) => {
      let wanted: Scale;
      if ('scale' in change) {
        wanted = change.scale;
        const rv = wanted.metadata?.resourceVersion;
        if (rv && rv !== cur.metadata.resourceVersion) throw conflict(gr(res.type), name, OBJECT_MODIFIED);
      } else {
        wanted = registry.patchObject(toScale(cur), change.patch, change.type) as Scale;
      }
      const replicas = wanted.spec?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas)) throw badRequest('Scale.spec.replicas must be an integer');
      (cur as Scalable).spec.replicas = replicas;
      return cur;
    },
    opts,
  );
  return toScale(obj);
}

/** PUT namespaces/{name}/finalize: the only way to change a namespace's spec.finalizers. */
export async function finalizeNamespace(registry: Registry, name: string, finalizers: string[], opts: WriteOptions = {}): Promise<AnyStored> {
  const res = registry.mustResource('namespaces');
  return registry.guaranteedUpdate(
    res,
    undefined,
    name,
    (cur) => {
      const next = cur as AnyStored & { spec?: { finalizers?: string[] } };
      next.spec = { ...(next.spec ?? {}), finalizers };
      return next;
    },
    { ...opts, subresource: 'finalize' },
  );
}
