// Node selection as a pure function: filter (Ready, schedulable, nodeSelector, taints) then pick
// the node with the fewest pods; or explain, in kube-scheduler's words, why none fits.
import type { Node, Pod, Taint, Toleration } from '../../api/index.js';

export type SchedulingDecision = { fits: true; node: string } | { fits: false; message: string };

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/** Toleration.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

const isReady = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

/** Why the node cannot take the pod (a kube-scheduler reason), or undefined when it can. */
export function unfitReason(pod: Pod, node: Node): string | undefined {
  const tolerations = pod.spec.tolerations ?? [];
  if (node.spec?.unschedulable && !tolerations.some((t) => tolerates(t, { key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule' }))) {
    return 'node(s) were unschedulable';
  }
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) {
    if (labels[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
  }
  const taints = [...(node.spec?.taints ?? [])];
  // A node that is not Ready carries the not-ready taint (the node lifecycle controller's job).
  if (!isReady(node) && !taints.some((t) => t.key === NOT_READY_TAINT)) taints.push({ key: NOT_READY_TAINT, effect: 'NoSchedule' });
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerations.some((t) => tolerates(t, taint))) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  }
  return undefined;
}

/**
 * Schedules one pod: among the nodes that fit, the one running the fewest pods (ties by name).
 * `podCount(node)` counts the non-terminal pods bound to it, including ones just bound.
 */
export function schedule(pod: Pod, o: { nodes: readonly Node[]; podCount: (node: string) => number }): SchedulingDecision {
  const { nodes, podCount } = o;
  if (nodes.length === 0) return { fits: false, message: 'no nodes available to schedule pods' };
  const reasons = new Map<string, number>();
  let best: { name: string; count: number } | undefined;
  for (const n of nodes) {
    const name = n.metadata.name ?? '';
    const why = unfitReason(pod, n);
    if (why) {
      reasons.set(why, (reasons.get(why) ?? 0) + 1);
      continue;
    }
    const count = podCount(name);
    if (!best || count < best.count || (count === best.count && name < best.name)) best = { name, count };
  }
  if (best) return { fits: true, node: best.name };
  const total = nodes.length;
  const histogram = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).sort();
  return {
    fits: false,
    message: `0/${total} nodes are available: ${histogram.join(', ')}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`,
  };
}
