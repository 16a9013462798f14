// Small pure helpers over objects every controller reads: pod readiness and availability (as
// k8s.io/kubectl/pkg/util/podutils and pkg/api/v1/pod), controller references (metav1), and time.
import { isStatusError, type KubeObject, type ObjectMeta, type OwnerReference, type Pod, type PodCondition } from '../api/index.js';

/** metav1.Time on the wire: RFC 3339 in whole seconds. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC3339Nano as Go prints it: fraction without trailing zeros, none when zero. */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

/** Milliseconds since the epoch, or undefined for a missing or unparsable time. */
export function parseTime(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

export function podReadyCondition(pod: Pick<Pod, 'status'>): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pick<Pod, 'status'>): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** podutil.IsPodAvailable: ready for at least minReadySeconds at `now` (ms). */
export function isPodAvailable(pod: Pick<Pod, 'status'>, o: { minReadySeconds: number; now: number }): boolean {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True') return false;
  if (o.minReadySeconds <= 0) return true;
  const since = parseTime(c.lastTransitionTime);
  return since !== undefined && since + o.minReadySeconds * 1000 < o.now;
}

/** A pod in phase Succeeded or Failed will never run again. */
export function isPodTerminal(pod: Pick<Pod, 'status'>): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** controller.IsPodActive: not terminal and not being deleted. */
export function isPodActive(pod: Pick<Pod, 'status' | 'metadata'>): boolean {
  return !isPodTerminal(pod) && !pod.metadata.deletionTimestamp;
}

/** metav1.GetControllerOf. */
export function controllerOf(meta: ObjectMeta): OwnerReference | undefined {
  return meta.ownerReferences?.find((r) => r.controller === true);
}

/** metav1.NewControllerRef. */
export function controllerRef(owner: { metadata: ObjectMeta }, o: { apiVersion: string; kind: string }): OwnerReference {
  return { apiVersion: o.apiVersion, kind: o.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** True when the error is the API refusing writes into a namespace that is being deleted. */
export function isNamespaceTerminating(e: unknown): boolean {
  return isStatusError(e) && e.status.reason === 'Forbidden' && (e.status.message ?? '').includes('because it is being terminated');
}

/** JSON with object keys sorted: a canonical text for deep comparison and hashing. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** Deep equality that ignores key order and undefined members. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export type { KubeObject };
