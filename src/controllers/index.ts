// controllers/: the reconcile loops of kube-controller-manager and kube-scheduler that kubeloop
// runs (DESIGN.md): scheduler, deployment, replicaset, garbage collector, namespace, endpoints
// and endpointslice. `startControllers` runs them all on one set of shared informers (one cache
// per resource), starting workers only once every cache has synced. Each controller's own start
// function runs it alone, for targeted tests.
import type { Client, Clock } from '../client/index.js';
import type { ResourceType } from '../api/index.js';
import { SharedInformers, type Log } from './_informers.js';
import type { RunningController } from './_runner.js';
import { newScheduler } from './scheduler/index.js';
import { newDeploymentController } from './deployment/index.js';
import { newReplicaSetController } from './replicaset/index.js';
import { newGarbageCollector } from './garbagecollector/index.js';
import { newNamespaceController } from './namespace/index.js';
import { newEndpointsController } from './endpoints/index.js';
import { newEndpointSliceController } from './endpointslice/index.js';

export { SharedInformers, type Log, type SharedInformersOptions } from './_informers.js';
export type { RunningController } from './_runner.js';
export { startScheduler, newScheduler, schedule, SCHEDULER, type SchedulerOptions, type SchedulingDecision } from './scheduler/index.js';
export {
  startDeploymentController,
  newDeploymentController,
  planDeployment,
  computeHash,
  resolveFenceposts,
  deploymentWithDefaults,
  DEPLOYMENT_CONTROLLER,
  REVISION_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  type DeploymentControllerOptions,
  type DeploymentPlan,
} from './deployment/index.js';
export { startReplicaSetController, newReplicaSetController, planReplicas, REPLICASET_CONTROLLER, type ReplicaSetControllerOptions } from './replicaset/index.js';
export { startGarbageCollector, newGarbageCollector, planGarbageCollection, GARBAGE_COLLECTOR, DEFAULT_GC_RESOURCES, type GarbageCollectorOptions } from './garbagecollector/index.js';
export { startNamespaceController, newNamespaceController, NAMESPACE_CONTROLLER, type NamespaceControllerOptions } from './namespace/index.js';
export { startEndpointsController, newEndpointsController, planEndpoints, ENDPOINTS_CONTROLLER, type EndpointsControllerOptions } from './endpoints/index.js';
export {
  startEndpointSliceController,
  newEndpointSliceController,
  planEndpointSlices,
  sliceView,
  ENDPOINTSLICE_CONTROLLER,
  ENDPOINTSLICE_CONTROLLER_NAME,
  type EndpointSliceControllerOptions,
} from './endpointslice/index.js';

export const CONTROLLER_NAMES = ['scheduler', 'deployment', 'replicaset', 'garbagecollector', 'namespace', 'endpoints', 'endpointslice'] as const;
export type ControllerName = (typeof CONTROLLER_NAMES)[number];

export interface ControllersOptions {
  client: Client;
  log?: Log;
  clock?: Clock;
  /** Which controllers to run; default all of them. */
  controllers?: readonly ControllerName[];
  /** Concurrent reconciles per controller (the scheduler always uses one). */
  workers?: Partial<Record<ControllerName, number>>;
  /** --max-endpoints-per-slice (default 100). */
  maxEndpointsPerSlice?: number;
  /** Addresses kept per Endpoints object before truncation (default 1000). */
  maxEndpointsCapacity?: number;
  /** Pods a ReplicaSet creates or deletes per sync at most (default 500). */
  burstReplicas?: number;
  /** Resources the garbage collector watches (default all but events). */
  gcResources?: readonly ResourceType[];
  /** Pods whose spec.schedulerName is this (or empty) are scheduled; default `default-scheduler`. */
  schedulerName?: string;
  /** Longest wait before a terminating namespace is looked at again (default 5 s). */
  namespaceRecheckMs?: number;
  /** Informer resync period (ms); 0 (default) disables. */
  resyncMs?: number;
}

export interface RunningControllers {
  informers: SharedInformers;
  stop(): Promise<void>;
}

/** Starts the controllers on shared informers; resolves once their caches synced and workers run. */
export async function startControllers(o: ControllersOptions): Promise<RunningControllers> {
  const want = new Set<ControllerName>(o.controllers ?? CONTROLLER_NAMES);
  const informers = new SharedInformers(o.client, {
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.log ? { log: o.log } : {}),
    ...(o.resyncMs ? { resyncMs: o.resyncMs } : {}),
  });
  const common = { client: o.client, informers, ...(o.clock ? { clock: o.clock } : {}), ...(o.log ? { log: o.log } : {}) };
  const workers = (n: ControllerName) => (o.workers?.[n] !== undefined ? { workers: o.workers[n] } : {});
  const started: (RunningController & { run(): void })[] = [];
  if (want.has('scheduler')) started.push(newScheduler({ ...common, ...(o.schedulerName ? { schedulerName: o.schedulerName } : {}) }));
  if (want.has('deployment')) started.push(newDeploymentController({ ...common, ...workers('deployment') }));
  if (want.has('replicaset')) started.push(newReplicaSetController({ ...common, ...workers('replicaset'), ...(o.burstReplicas ? { burstReplicas: o.burstReplicas } : {}) }));
  if (want.has('garbagecollector')) started.push(newGarbageCollector({ ...common, ...workers('garbagecollector'), ...(o.gcResources ? { resources: o.gcResources } : {}) }));
  if (want.has('namespace')) started.push(newNamespaceController({ ...common, ...workers('namespace'), ...(o.namespaceRecheckMs ? { recheckMs: o.namespaceRecheckMs } : {}) }));
  if (want.has('endpoints')) started.push(newEndpointsController({ ...common, ...workers('endpoints'), ...(o.maxEndpointsCapacity ? { maxCapacity: o.maxEndpointsCapacity } : {}) }));
  if (want.has('endpointslice')) started.push(newEndpointSliceController({ ...common, ...workers('endpointslice'), ...(o.maxEndpointsPerSlice ? { maxEndpointsPerSlice: o.maxEndpointsPerSlice } : {}) }));
  await informers.start();
  for (const c of started) c.run();
  o.log?.({ level: 'info', msg: 'controllers started', controllers: started.map((c) => c.name) });
  let stopped = false;
  return {
    informers,
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(started.map((c) => c.stop()));
      informers.stop();
    },
  };
}
