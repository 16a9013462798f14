// The namespace controller: once a namespace is being deleted (phase Terminating, set by the API),
// delete everything in it, resource by resource, reporting progress in its status conditions; when
// nothing is left, remove the `kubernetes` finalizer so the API removes the namespace itself.
import { realClock, type Client, type Clock, type ReconcileResult } from '../../client/index.js';
import { allResourceTypes, isNotFound, type KubeObject, type Namespace, type Pod, type ResourceType, type Stored } from '../../api/index.js';
import { SharedInformers, type Log, startStandalone } from '../_informers.js';
import { QueueRunner, type RunningController } from '../_runner.js';
import { rfc3339 } from '../_meta.js';
import { namespaceConditions, type ContentTotals } from './plan.js';

export { namespaceConditions, type ContentTotals } from './plan.js';

export const NAMESPACE_CONTROLLER = 'namespace-controller';
export const KUBERNETES_FINALIZER = 'kubernetes';

/** The namespaced resources emptied from a terminating namespace. */
export const NAMESPACED_RESOURCES: readonly ResourceType[] = allResourceTypes.filter((t) => t.namespaced && t.verbs.includes('deletecollection'));

export interface NamespaceControllerOptions {
  client: Client;
  informers?: SharedInformers;
  clock?: Clock;
  log?: Log;
  workers?: number;
  /** Longest wait before looking at a terminating namespace again (default 5 s). */
  recheckMs?: number;
}

export interface NamespaceController extends RunningController {
  run(): void;
}

export function newNamespaceController(o: NamespaceControllerOptions & { informers: SharedInformers }): NamespaceController {
  const { client, informers } = o;
  const clock = o.clock ?? realClock;
  const namespaces = informers.namespaces();
  const pods = informers.pods();
  const recheckMs = o.recheckMs ?? 5000;

  const reconcile = async (name: string): Promise<ReconcileResult | void> => {
    const cached = namespaces.getByName(undefined, name);
    if (!cached?.metadata.deletionTimestamp) return;
    // Act on the latest view: deletion is one-way and must never start from a stale cache.
    let ns: Stored<Namespace>;
    try {
      ns = await client.namespaces().get(name);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (!ns.metadata.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes(KUBERNETES_FINALIZER)) return;

    const totals = { remaining: new Map<string, number>(), finalizers: new Map<string, number>(), deleteErrors: [] as string[] } satisfies ContentTotals;
    let estimateSeconds = 0;
    for (const type of NAMESPACED_RESOURCES) {
      const api = client.resource<KubeObject>(type, name);
      try {
        await api.deleteCollection({}, { propagationPolicy: 'Background' });
      } catch (e) {
        totals.deleteErrors.push(`${type.plural}.${type.group}: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      const left = (await api.list()).items;
      if (left.length === 0) continue;
      totals.remaining.set(`${type.plural}.${type.group}`, left.length);
      for (const item of left) for (const f of item.metadata.finalizers ?? []) totals.finalizers.set(f, (totals.finalizers.get(f) ?? 0) + 1);
      if (type.plural === 'pods') {
        for (const p of left as Stored<Pod>[]) estimateSeconds = Math.max(estimateSeconds, p.metadata.deletionGracePeriodSeconds ?? p.spec.terminationGracePeriodSeconds ?? 30);
      }
    }
    const { conditions, changed } = namespaceConditions(ns.status?.conditions, { totals, now: rfc3339(clock.now()) });
    if (changed) {
      ns = await client.namespaces().updateStatus({ ...ns, status: { ...(ns.status ?? {}), phase: 'Terminating', conditions } });
    }
    if (totals.deleteErrors.length) throw new Error(`Cannot empty namespace ${name}: ${totals.deleteErrors.join('; ')}`);
    if (totals.remaining.size) {
      // ResourcesRemainingError: look again within half the longest grace period (bounded).
      return { requeueAfterMs: Math.min(recheckMs, (estimateSeconds / 2 + 1) * 1000) };
    }
    // Empty: finalize (PUT .../finalize). The API removes a namespace whose finalizers are all gone.
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== KUBERNETES_FINALIZER);
    try {
      await client.finalizeNamespace(name, finalizers);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  };

  const runner = new QueueRunner(NAMESPACE_CONTROLLER, reconcile, { clock, ...(o.log ? { log: o.log } : {}), workers: o.workers ?? 2 });
  namespaces.addHandler({
    onAdd: (ns) => {
      if (ns.metadata.deletionTimestamp) runner.enqueue(ns.metadata.name);
    },
    onUpdate: (_, ns) => {
      if (ns.metadata.deletionTimestamp) runner.enqueue(ns.metadata.name);
    },
  });
  // The last pods of a terminating namespace go away on their own schedule: look again then.
  pods.addHandler({
    onDelete: (p) => {
      const ns = namespaces.getByName(undefined, p.metadata.namespace ?? '');
      if (ns?.metadata.deletionTimestamp) runner.enqueue(ns.metadata.name);
    },
  });

  return { name: NAMESPACE_CONTROLLER, run: () => runner.run(), stop: () => runner.stop() };
}

/** Starts the namespace controller alone (own informers unless shared ones are given). */
export function startNamespaceController(o: NamespaceControllerOptions): Promise<RunningController> {
  return startStandalone(o, newNamespaceController);
}
