// The Endpoints controller: keeps one core/v1 Endpoints object per selector Service, named after
// it, listing the addresses of the pods the selector matches (k8s-services.md §3.1–3.2).
// Handlers map a pod change to the Services it belongs to (through indexes, never a scan of all
// Services) and enqueue them; `reconcile` recomputes the whole object from the caches.
import { EventRecorder, realClock, type Client, type Clock } from '../../client/index.js';
import { isNotFound, splitKey, type Endpoints, type Pod, type Service, type Stored } from '../../api/index.js';
import { SharedInformers, type Log, startStandalone } from '../_informers.js';
import { QueueRunner, type RunningController } from '../_runner.js';
import { isNamespaceTerminating } from '../_meta.js';
import {
  POD_LABEL_INDEX,
  SERVICE_SELECTOR_INDEX,
  TriggerTimeTracker,
  podLabelIndex,
  podsForService,
  serviceSelectorIndex,
  servicesForPod,
  servicesToUpdateOnPodChange,
} from '../_endpoints.js';
import { MAX_ENDPOINTS_CAPACITY, planEndpoints } from './plan.js';

export { planEndpoints, desiredSubsets, truncateSubsets, MAX_ENDPOINTS_CAPACITY, OVER_CAPACITY_ANNOTATION, type EndpointsPlan, type EndpointsInputs } from './plan.js';

export const ENDPOINTS_CONTROLLER = 'endpoint-controller';

export interface EndpointsControllerOptions {
  client: Client;
  informers?: SharedInformers;
  clock?: Clock;
  log?: Log;
  workers?: number;
  maxCapacity?: number;
}

export interface EndpointsController extends RunningController {
  /** Starts the workers; the informers must have synced. */
  run(): void;
}

export function newEndpointsController(o: EndpointsControllerOptions & { informers: SharedInformers }): EndpointsController {
  const { client, informers } = o;
  const clock = o.clock ?? realClock;
  const services = informers.services();
  const pods = informers.pods();
  const endpoints = informers.endpoints();
  informers.ensureIndex(services, { name: SERVICE_SELECTOR_INDEX, by: serviceSelectorIndex });
  informers.ensureIndex(pods, { name: POD_LABEL_INDEX, by: podLabelIndex });
  const recorder = new EventRecorder(client, { component: ENDPOINTS_CONTROLLER, clock: () => new Date(clock.now()), ...(o.log ? { log: o.log } : {}) });
  const triggers = new TriggerTimeTracker();

  const reconcile = async (key: string): Promise<void> => {
    const { namespace, name } = splitKey(key);
    const svc = services.getByName(namespace, name);
    if (!svc) {
      // The Service is gone: its Endpoints go with it.
      triggers.delete(key);
      try {
        await client.endpoints(namespace).delete(name);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      return;
    }
    // ExternalName and selectorless Services get no Endpoints from this controller.
    if (svc.spec.type === 'ExternalName' || !svc.spec.selector) return;
    const matching = podsForService(pods, svc);
    const triggerTimeMs = triggers.compute(key, { service: svc, pods: matching });
    const current = endpoints.getByName(namespace, name);
    const plan = planEndpoints({ service: svc, pods: matching, current, triggerTimeMs, maxCapacity: o.maxCapacity ?? MAX_ENDPOINTS_CAPACITY });
    await applyPlan(svc, plan.action === 'none' ? undefined : plan);
  };

  const applyPlan = async (svc: Stored<Service>, plan: { action: 'create' | 'update'; endpoints: Endpoints } | undefined): Promise<void> => {
    if (!plan) return;
    const ns = svc.metadata.namespace ?? '';
    try {
      if (plan.action === 'create') await client.endpoints(ns).create(plan.endpoints);
      else await client.endpoints(ns).update(plan.endpoints);
    } catch (e) {
      // Creates into a terminating namespace fail until it is gone; nothing to retry.
      if (plan.action === 'create' && isNamespaceTerminating(e)) return;
      const msg = e instanceof Error ? e.message : String(e);
      const target = { ...plan.endpoints, metadata: { ...plan.endpoints.metadata, uid: plan.endpoints.metadata.uid ?? '' } };
      if (plan.action === 'create') void recorder.record(target, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${ns}/${svc.metadata.name}: ${msg}`);
      else void recorder.record(target, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${ns}/${svc.metadata.name}: ${msg}`);
      throw e;
    }
  };

  const runner = new QueueRunner(ENDPOINTS_CONTROLLER, reconcile, { clock, ...(o.log ? { log: o.log } : {}), workers: o.workers ?? 4 });
  const enqueueKeys = (keys: readonly string[]) => {
    for (const k of keys) runner.enqueue(k);
  };

  services.addHandler({
    onAdd: (s) => runner.enqueue(`${s.metadata.namespace}/${s.metadata.name}`),
    onUpdate: (_, s) => runner.enqueue(`${s.metadata.namespace}/${s.metadata.name}`),
    onDelete: (s) => runner.enqueue(`${s.metadata.namespace}/${s.metadata.name}`),
  });
  pods.addHandler({
    onAdd: (p: Stored<Pod>) => enqueueKeys(servicesForPod(services, p)),
    onUpdate: (old, cur) => enqueueKeys(servicesToUpdateOnPodChange(services, { old: old, cur: cur })),
    onDelete: (p) => enqueueKeys(servicesForPod(services, p)),
  });
  endpoints.addHandler({
    // A deleted Endpoints object is recreated if its Service still wants one.
    onDelete: (ep) => runner.enqueue(`${ep.metadata.namespace}/${ep.metadata.name}`),
  });

  let checkedLeftovers = false;
  return {
    name: ENDPOINTS_CONTROLLER,
    run() {
      if (!checkedLeftovers) {
        checkedLeftovers = true;
        // checkLeftoverEndpoints: Endpoints whose Service vanished while we were down.
        for (const ep of endpoints.list()) {
          if (ep.metadata.annotations?.['control-plane.alpha.kubernetes.io/leader'] !== undefined) continue;
          if (!services.getByName(ep.metadata.namespace, ep.metadata.name)) runner.enqueue(`${ep.metadata.namespace}/${ep.metadata.name}`);
        }
      }
      runner.run();
    },
    stop: () => runner.stop(),
  };
}

/** Starts the Endpoints controller alone (own informers unless shared ones are given). */
export function startEndpointsController(o: EndpointsControllerOptions): Promise<RunningController> {
  return startStandalone(o, newEndpointsController);
}
