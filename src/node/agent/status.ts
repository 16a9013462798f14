// Pod status as a pure function of what runs (kubelet's convertToAPIContainerStatuses, getPhase,
// pkg/kubelet/status generate*Condition, and the status manager's merge with the stored status).
// Nothing here reads the clock except through its arguments.
import type { Container, ContainerState, ContainerStateTerminated, ContainerStatus, Pod, PodCondition, PodPhase, PodStatus } from '../../api/index.js';

/** One container as the node sees it. */
export interface ContainerView {
  name: string;
  /** The image as the status reports it (`docker.io/library/busybox:latest`). */
  image: string;
  /** Of the current (or last) instance; "" before any. */
  imageID: string;
  containerID?: string;
  restartCount: number;
  /** The current instance runs. */
  running?: { startedAt: string; started: boolean; ready: boolean };
  /** The current instance ended. */
  exited?: ContainerStateTerminated;
  /** Why no instance runs now, when the node knows (ErrImagePull, CrashLoopBackOff, ...). */
  waiting?: { reason: string; message?: string };
  /** The instance before the current one. */
  lastTerminated?: ContainerStateTerminated;
}

export const CONTAINER_CREATING = 'ContainerCreating';
export const POD_INITIALIZING = 'PodInitializing';

/** What a container not yet started waits for, by default: PodInitializing when the pod has init containers. */
export function defaultWaitingReason(pod: Pick<Pod, 'spec'>): string {
  return (pod.spec.initContainers ?? []).length > 0 ? POD_INITIALIZING : CONTAINER_CREATING;
}

/**
 * The API status of one container. An ended instance that will be started again shows as
 * waiting (with the reason) and moves to lastState, as upstream.
 */
export function containerStatus(v: ContainerView, defaultReason: string, o: { init?: boolean } = {}): ContainerStatus {
  let state: ContainerState;
  let lastState: ContainerState = v.lastTerminated ? { terminated: v.lastTerminated } : {};
  if (v.running) {
    state = { running: { startedAt: v.running.startedAt } };
  } else if (v.exited && v.waiting) {
    state = { waiting: waitingState(v.waiting) };
    lastState = { terminated: v.exited };
  } else if (v.exited) {
    state = { terminated: v.exited };
  } else {
    state = { waiting: waitingState(v.waiting ?? { reason: defaultReason }) };
  }
  const s: ContainerStatus = {
    name: v.name,
    state,
    lastState,
    // An init container that completed counts as ready (prober manager UpdatePodStatus).
    ready: o.init ? state.terminated?.exitCode === 0 : (v.running?.ready ?? false),
    restartCount: v.restartCount,
    image: v.image,
    imageID: v.imageID,
    started: v.running?.started ?? false,
  };
  if (v.containerID) s.containerID = v.containerID;
  return s;
}

function waitingState(w: { reason: string; message?: string }): { reason: string; message?: string } {
  return w.message ? { reason: w.reason, message: w.message } : { reason: w.reason };
}

const find = (statuses: readonly ContainerStatus[], name: string) => statuses.find((s) => s.name === name);

/** Pod phase from its container statuses (kubelet getPhase), without sidecar containers. */
export function podPhase(
  spec: Pick<Pod['spec'], 'initContainers' | 'containers' | 'restartPolicy'>,
  initStatuses: readonly ContainerStatus[],
  statuses: readonly ContainerStatus[],
  podIsTerminal: boolean,
): PodPhase {
  let pendingInit = 0;
  let failedInit = 0;
  for (const c of spec.initContainers ?? []) {
    const s = find(initStatuses, c.name);
    if (!s) {
      pendingInit++;
      continue;
    }
    if (s.state?.running) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) {
        if (s.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec.containers) {
    const s = find(statuses, c.name);
    if (!s) {
      unknown++;
      continue;
    }
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  const policy = spec.restartPolicy ?? 'Always';
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  const anyRegularStarted = statuses.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
  if ((pendingInit > 0 && !anyRegularStarted) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

type Draft = Omit<PodCondition, 'lastTransitionTime' | 'lastProbeTime'>;

const goList = (names: readonly string[]) => `[${names.join(' ')}]`;

function initializedCondition(spec: Pod['spec'], inits: readonly ContainerStatus[], statuses: readonly ContainerStatus[], phase: PodPhase): Draft {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of spec.initContainers ?? []) {
    const s = find(inits, c.name);
    if (!s) unknown.push(c.name);
    else if (!(s.state?.terminated && s.state.terminated.exitCode === 0)) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  if (statuses.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated)) return { type: 'Initialized', status: 'True' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (msgs.length) return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: msgs.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

function containersReady(spec: Pod['spec'], statuses: readonly ContainerStatus[], phase: PodPhase, type: 'ContainersReady' | 'Ready'): Draft {
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const c of spec.containers) {
    const s = find(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if ((phase === 'Succeeded' && unknown.length === 0) || phase === 'Failed') {
    return { type, status: 'False', reason: phase === 'Failed' ? 'PodFailed' : 'PodCompleted' };
  }
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${goList(unready)}`);
  if (msgs.length) return { type, status: 'False', reason: 'ContainersNotReady', message: msgs.join(', ') };
  return { type, status: 'True' };
}

function readyCondition(pod: Pick<Pod, 'spec' | 'status'>, containersReadyCond: Draft, phase: PodPhase): Draft {
  if (containersReadyCond.status !== 'True') return { ...containersReadyCond, type: 'Ready' };
  const missing: string[] = [];
  const unready: string[] = [];
  for (const g of pod.spec.readinessGates ?? []) {
    const c = (pod.status?.conditions ?? []).find((x) => x.type === g.conditionType);
    if (!c) missing.push(g.conditionType);
    else if (c.status !== 'True') unready.push(g.conditionType);
  }
  const msgs: string[] = [];
  if (missing.length) msgs.push(`corresponding condition of pod readiness gate "${missing.join('", "')}" does not exist.`);
  if (unready.length) msgs.push(`the status of pod readiness gate "${unready.join('", "')}" is not "True", but False`);
  if (msgs.length && phase !== 'Succeeded') return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: msgs.join(', ') };
  return { type: 'Ready', status: 'True' };
}

export interface PodStatusInput {
  pod: Pick<Pod, 'spec' | 'status'>;
  initContainers: readonly ContainerView[];
  containers: readonly ContainerView[];
  hostIP: string;
  podIP?: string;
  /** RFC 3339; when the node first took the pod. */
  startTime: string;
  /** The sandbox exists with its network (PodReadyToStartContainers). */
  sandboxReady: boolean;
  /** The pod is being torn down for good (deleted, or ended): phase must be terminal. */
  podIsTerminal: boolean;
  /** Set for pods the node failed as a whole (e.g. DeadlineExceeded). */
  reason?: string;
  message?: string;
}

/**
 * The kubelet's part of the pod status (generateAPIPodStatus): phase, conditions in upstream
 * order (without transition times; see mergePodStatus), addresses, container statuses (init in
 * spec order, regular sorted by name).
 */
export function podStatusDraft(i: PodStatusInput): PodStatus {
  const defaultReason = defaultWaitingReason(i.pod);
  const inits = i.initContainers.map((v) => containerStatus(v, defaultReason, { init: true }));
  const statuses = i.containers.map((v) => containerStatus(v, defaultReason)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let phase: PodPhase = i.reason ? 'Failed' : podPhase(i.pod.spec, inits, statuses, i.podIsTerminal);
  // A pod torn down for good ends in a terminal phase even if some container never ran.
  if (i.podIsTerminal && phase !== 'Succeeded' && phase !== 'Failed') phase = 'Failed';
  // The kubelet never moves a pod out of a terminal phase.
  const old = i.pod.status?.phase;
  if ((old === 'Succeeded' || old === 'Failed') && phase !== old) phase = old;
  const spec = i.pod.spec;
  const crc = containersReady(spec, statuses, phase, 'ContainersReady');
  const conditions: Draft[] = [
    { type: 'PodReadyToStartContainers', status: i.sandboxReady ? 'True' : 'False' },
    initializedCondition(spec, inits, statuses, phase),
    readyCondition(i.pod, crc, phase),
    crc,
    { type: 'PodScheduled', status: 'True' },
  ];
  const status: PodStatus = { phase, conditions: conditions as PodCondition[], hostIP: i.hostIP, hostIPs: [{ ip: i.hostIP }] };
  if (i.podIP) {
    status.podIP = i.podIP;
    status.podIPs = [{ ip: i.podIP }];
  }
  status.startTime = i.startTime;
  if (inits.length) status.initContainerStatuses = inits;
  status.containerStatuses = statuses;
  if (i.reason) status.reason = i.reason;
  if (i.message) status.message = i.message;
  return status;
}

const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers']);

/**
 * The status to store: the draft's conditions get `lastTransitionTime` (kept from `old` while
 * the status is unchanged, else `now`) and `lastProbeTime: null`; conditions the kubelet does
 * not own, qosClass, nominatedNodeName and startTime are kept from `old`.
 */
export function mergePodStatus(old: PodStatus | undefined, draft: PodStatus, now: string): PodStatus {
  const prev = old ?? {};
  const conditions: PodCondition[] = [];
  for (const c of prev.conditions ?? []) if (!KUBELET_CONDITIONS.has(c.type)) conditions.push(c);
  for (const c of draft.conditions ?? []) {
    const before = (prev.conditions ?? []).find((x) => x.type === c.type);
    const lastTransitionTime = before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : now;
    conditions.push({ ...c, lastProbeTime: null, lastTransitionTime });
  }
  const out: PodStatus = { ...draft, conditions };
  if (prev.startTime) out.startTime = prev.startTime;
  if (prev.qosClass) out.qosClass = prev.qosClass;
  if (prev.nominatedNodeName) out.nominatedNodeName = prev.nominatedNodeName;
  return out;
}

/** Whether two statuses are the same (key order does not matter). */
export function sameStatus(a: PodStatus | undefined, b: PodStatus | undefined): boolean {
  return canonical(a ?? {}) === canonical(b ?? {});
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Whether a container of this pod is started again after its instance ended with `exitCode`. */
export function shouldRestart(policy: Pod['spec']['restartPolicy'], exitCode: number): boolean {
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return exitCode !== 0;
  return true;
}

/** The container spec of `name`, init or regular. */
export function containerSpec(pod: Pick<Pod, 'spec'>, name: string): { container: Container; init: boolean } | undefined {
  const c = pod.spec.containers.find((x) => x.name === name);
  if (c) return { container: c, init: false };
  const i = (pod.spec.initContainers ?? []).find((x) => x.name === name);
  return i ? { container: i, init: true } : undefined;
}
