// Pods, as printers.go printPod: READY counts ready running containers (plus started, ready
// sidecars); STATUS walks init containers then containers (last first, so the first one wins);
// RESTARTS adds "(<age> ago)" of the newest last termination; deletion shows Terminating.
import type { Container, ContainerStatus, Pod } from '../core.js';
import type { KubeObject } from '../objects.js';
import { NAME, CREATION_TIMESTAMP, POD } from './descriptions.js';
import { parseTimestamp, translateTimestampSince, humanDuration } from './duration.js';
import { column, type TablePrinter, type TableRowCondition } from './printer.js';

/** `node.NodeUnreachablePodReason`: the reason the node lifecycle controller gives lost pods. */
const NODE_LOST = 'NodeLost';

export interface PodRow {
  ready: string;
  status: string;
  restarts: string;
}

const isRestartable = (c: Container | undefined) => c?.restartPolicy === 'Always';

function podInitializedTrue(pod: Pod): boolean {
  const c = (pod.status?.conditions ?? []).find((x) => x.type === 'Initialized');
  return c?.status === 'True';
}

function hasPodReadyCondition(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** FinishedAt of the last termination, in ms (0 when unset, like Go's zero time). */
function lastTerminatedAt(cs: ContainerStatus): number {
  return parseTimestamp(cs.lastState?.terminated?.finishedAt) ?? 0;
}

/** The READY, STATUS and RESTARTS cells of a pod at `now`. */
export function podRow(pod: Pod, now: Date): PodRow {
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = (spec.containers ?? []).length;
  let ready = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;

  const phase = status.phase ?? '';
  let reason: string = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const inits = new Map<string, Container>();
  for (const c of spec.initContainers ?? []) {
    inits.set(c.name, c);
    if (isRestartable(c)) total++;
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    restarts += cs.restartCount ?? 0;
    if (cs.lastState?.terminated) lastRestart = Math.max(lastRestart, lastTerminatedAt(cs));
    const sidecar = isRestartable(inits.get(cs.name));
    if (sidecar) {
      sidecarRestarts += cs.restartCount ?? 0;
      if (cs.lastState?.terminated) lastSidecarRestart = Math.max(lastSidecarRestart, lastTerminatedAt(cs));
    }
    const term = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (sidecar && cs.started) {
      if (cs.ready) ready++;
      continue;
    }
    if (term) {
      if (!term.reason) reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
      else reason = `Init:${term.reason}`;
    } else if (waiting && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || podInitializedTrue(pod)) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts += cs.restartCount ?? 0;
      if (cs.lastState?.terminated) lastRestart = Math.max(lastRestart, lastTerminatedAt(cs));
      const waiting = cs.state?.waiting;
      const term = cs.state?.terminated;
      if (waiting && waiting.reason) reason = waiting.reason;
      else if (term && term.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasPodReadyCondition(pod) ? 'Running' : 'NotReady';
  }

  const deleting = Boolean(pod.metadata.deletionTimestamp);
  if (deleting && status.reason === NODE_LOST) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsCell = restarts !== 0 && lastRestart !== 0 ? `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsCell };
}

export const podPrinter: TablePrinter = {
  columns: [
    column('Name', 'string', NAME, { format: 'name' }),
    column('Ready', 'string', POD.ready),
    column('Status', 'string', POD.status),
    column('Restarts', 'string', POD.restarts),
    column('Age', 'string', CREATION_TIMESTAMP),
    column('IP', 'string', POD.podIP, { priority: 1 }),
    column('Node', 'string', POD.nodeName, { priority: 1 }),
    column('Nominated Node', 'string', POD.nominatedNodeName, { priority: 1 }),
    column('Readiness Gates', 'string', POD.readinessGates, { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const pod = obj as unknown as Pod;
    const row = podRow(pod, now);
    const gates = pod.spec?.readinessGates ?? [];
    let readinessGates = '<none>';
    if (gates.length > 0) {
      let trueConditions = 0;
      for (const g of gates) {
        const c = (pod.status?.conditions ?? []).find((x) => x.type === g.conditionType);
        if (c?.status === 'True') trueConditions++;
      }
      readinessGates = `${trueConditions}/${gates.length}`;
    }
    return [
      pod.metadata.name ?? '',
      row.ready,
      row.status,
      row.restarts,
      translateTimestampSince(pod.metadata.creationTimestamp, now),
      pod.status?.podIPs?.[0]?.ip || '<none>',
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates,
    ];
  },
  conditions(obj: KubeObject): TableRowCondition[] | undefined {
    switch ((obj as unknown as Pod).status?.phase) {
      case 'Succeeded':
        return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
      case 'Failed':
        return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
      default:
        return undefined;
    }
  },
};
