// The EndpointSlice controller: keeps the discovery.k8s.io/v1 EndpointSlices of every selector
// Service equal to its pods (k8s-services.md §3.1, §3.3). Handlers map changes to Service keys
// through indexes (a pod flip costs a few map lookups, however many Services exist); reconcile
// plans slice changes from the caches and applies them, refusing to act while its slice cache
// lags behind its own writes.
import { EventRecorder, realClock, type Client, type Clock } from '../../client/index.js';
import { isNotFound, splitKey, type EndpointSlice, type Pod, type Service, type Stored } from '../../api/index.js';
import { SharedInformers, type Log, startStandalone } from '../_informers.js';
import { QueueRunner, type RunningController } from '../_runner.js';
import { isNamespaceTerminating } from '../_meta.js';
import {
  POD_LABEL_INDEX,
  POD_NODE_INDEX,
  SERVICE_SELECTOR_INDEX,
  TriggerTimeTracker,
  podLabelIndex,
  podNodeIndex,
  podsForService,
  serviceSelectorIndex,
  servicesForPod,
  servicesToUpdateOnPodChange,
} from '../_endpoints.js';
import { SliceTracker } from './_tracker.js';
import { DEFAULT_MAX_ENDPOINTS_PER_SLICE, ENDPOINTSLICE_CONTROLLER_NAME, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, planEndpointSlices, type SlicePlan } from './plan.js';

export {
  planEndpointSlices,
  desiredEndpoints,
  sliceView,
  addressTypesFor,
  endpointPorts,
  podToEndpoint,
  sliceLabels,
  DEFAULT_MAX_ENDPOINTS_PER_SLICE,
  ENDPOINTSLICE_CONTROLLER_NAME,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
  type SliceInputs,
  type SlicePlan,
  type NodeInfo,
} from './plan.js';

export const ENDPOINTSLICE_CONTROLLER = 'endpoint-slice-controller';
/** Slice informer index: `ns/service` for slices this controller manages. */
const SLICE_SERVICE_INDEX = 'endpointslice.service';

export interface EndpointSliceControllerOptions {
  client: Client;
  informers?: SharedInformers;
  clock?: Clock;
  log?: Log;
  workers?: number;
  /** --max-endpoints-per-slice (default 100, at most 1000). */
  maxEndpointsPerSlice?: number;
}

export interface EndpointSliceController extends RunningController {
  run(): void;
}

/** A reconcile refused because the slice cache has not caught up with this controller's writes. */
export class StaleSliceCacheError extends Error {
  constructor(key: string) {
    super(`Cannot sync EndpointSlices of Service ${key}: the EndpointSlice informer cache is out of date`);
  }
}

const managedServiceKey = (s: Pick<EndpointSlice, 'metadata'>): string | undefined => {
  if (s.metadata.labels?.[MANAGED_BY_LABEL] !== ENDPOINTSLICE_CONTROLLER_NAME) return undefined;
  const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
  return svc ? `${s.metadata.namespace}/${svc}` : undefined;
};

export function newEndpointSliceController(o: EndpointSliceControllerOptions & { informers: SharedInformers }): EndpointSliceController {
  const { client, informers } = o;
  const clock = o.clock ?? realClock;
  const max = Math.min(o.maxEndpointsPerSlice ?? DEFAULT_MAX_ENDPOINTS_PER_SLICE, 1000);
  const services = informers.services();
  const pods = informers.pods();
  const nodes = informers.nodes();
  const slices = informers.endpointSlices();
  informers.ensureIndex(services, { name: SERVICE_SELECTOR_INDEX, by: serviceSelectorIndex });
  informers.ensureIndex(pods, { name: POD_LABEL_INDEX, by: podLabelIndex });
  informers.ensureIndex(pods, { name: POD_NODE_INDEX, by: podNodeIndex });
  informers.ensureIndex(slices, {
    name: SLICE_SERVICE_INDEX,
    by: (s) => {
      const k = managedServiceKey(s);
      return k ? [k] : [];
    },
  });
  const recorder = new EventRecorder(client, { component: ENDPOINTSLICE_CONTROLLER, clock: () => new Date(clock.now()), ...(o.log ? { log: o.log } : {}) });
  const tracker = new SliceTracker();
  const triggers = new TriggerTimeTracker();

  const reconcile = async (key: string): Promise<void> => {
    const { namespace, name } = splitKey(key);
    const svc = services.getByName(namespace, name);
    if (!svc) {
      // Slices of a deleted Service are removed by the garbage collector (ownerReferences).
      triggers.delete(key);
      tracker.deleteService(key);
      return;
    }
    if (svc.spec.type === 'ExternalName' || !svc.spec.selector) return;
    const matching = podsForService(pods, svc);
    const existing = slices.byIndex(SLICE_SERVICE_INDEX, key).filter((s) => !s.metadata.deletionTimestamp);
    if (tracker.stale(key, existing)) throw new StaleSliceCacheError(key);
    const triggerTimeMs = triggers.compute(key, { service: svc, pods: matching });
    const plan = planEndpointSlices({
      service: svc,
      pods: matching,
      existing,
      node: (n) => nodes.getByName(undefined, n)?.metadata,
      maxEndpointsPerSlice: max,
      controllerName: ENDPOINTSLICE_CONTROLLER_NAME,
      ...(triggerTimeMs !== undefined ? { triggerTimeMs } : {}),
    });
    try {
      await applyPlan(key, svc, plan);
      if (plan.skipped.length) throw new Error(plan.skipped.join('; '));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      void recorder.record(svc, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${namespace}/${name}: ${msg}`);
      throw e;
    }
  };

  const applyPlan = async (key: string, svc: Stored<Service>, plan: SlicePlan): Promise<void> => {
    const api = client.endpointSlices(svc.metadata.namespace ?? '');
    for (const s of plan.create) {
      try {
        tracker.update(key, await api.create(s));
      } catch (e) {
        if (isNamespaceTerminating(e)) return;
        throw new Error(`failed to create EndpointSlice for Service ${key}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    for (const s of plan.update) {
      try {
        tracker.update(key, await api.update(s));
      } catch (e) {
        throw new Error(`failed to update ${s.metadata.name ?? ''} EndpointSlice for Service ${key}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    for (const s of plan.delete) {
      try {
        await api.delete(s.metadata.name, { preconditions: { uid: s.metadata.uid } });
        tracker.expectDeletion(key, s.metadata.uid);
      } catch (e) {
        if (isNotFound(e)) continue;
        throw new Error(`failed to delete ${s.metadata.name} EndpointSlice for Service ${key}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };

  const runner = new QueueRunner(ENDPOINTSLICE_CONTROLLER, reconcile, { clock, ...(o.log ? { log: o.log } : {}), workers: o.workers ?? 4 });
  const enqueueKeys = (keys: readonly string[]) => {
    for (const k of keys) runner.enqueue(k);
  };
  const svcKey = (s: Stored<Service>) => `${s.metadata.namespace}/${s.metadata.name}`;

  services.addHandler({
    onAdd: (s) => runner.enqueue(svcKey(s)),
    onUpdate: (_, s) => runner.enqueue(svcKey(s)),
    onDelete: (s) => runner.enqueue(svcKey(s)),
  });
  pods.addHandler({
    onAdd: (p: Stored<Pod>) => enqueueKeys(servicesForPod(services, p)),
    onUpdate: (old, cur) => enqueueKeys(servicesToUpdateOnPodChange(services, { old: old, cur: cur })),
    onDelete: (p) => enqueueKeys(servicesForPod(services, p)),
  });
  // Pods on a Node that was unknown are left out until it appears: resync their Services then.
  nodes.addHandler({
    onAdd: (n) => {
      for (const p of pods.byIndex(POD_NODE_INDEX, n.metadata.name)) enqueueKeys(servicesForPod(services, p));
    },
  });
  slices.addHandler({
    onAdd: (s) => {
      const k = managedServiceKey(s);
      if (k && tracker.shouldSync(k, s)) runner.enqueue(k);
    },
    onUpdate: (old, cur) => {
      const before = managedServiceKey(old);
      const now = managedServiceKey(cur);
      if (before && before !== now) runner.enqueue(before);
      if (now && (before !== now || tracker.shouldSync(now, cur))) runner.enqueue(now);
    },
    onDelete: (s) => {
      const k = managedServiceKey(s);
      if (k && tracker.handleDeletion(k, s.metadata.uid)) runner.enqueue(k);
    },
  });

  return { name: ENDPOINTSLICE_CONTROLLER, run: () => runner.run(), stop: () => runner.stop() };
}

/** Starts the EndpointSlice controller alone (own informers unless shared ones are given). */
export function startEndpointSliceController(o: EndpointSliceControllerOptions): Promise<RunningController> {
  return startStandalone(o, newEndpointSliceController);
}
