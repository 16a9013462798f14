// Nodes, as printers.go printNode: STATUS from the Ready condition (+ SchedulingDisabled), ROLES
// from node-role.kubernetes.io/<role> and kubernetes.io/role labels, sorted.
import type { Node } from '../core.js';
import type { KubeObject } from '../objects.js';
import { NAME, CREATION_TIMESTAMP, NODE } from './descriptions.js';
import { translateTimestampSince } from './duration.js';
import { column, type TablePrinter } from './printer.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';

export function nodeStatus(node: Node): string {
  const status: string[] = [];
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').pop();
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

const address = (node: Node, type: string) => (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';

export const nodePrinter: TablePrinter = {
  columns: [
    column('Name', 'string', NAME, { format: 'name' }),
    column('Status', 'string', NODE.status),
    column('Roles', 'string', NODE.roles),
    column('Age', 'string', CREATION_TIMESTAMP),
    column('Version', 'string', NODE.kubeletVersion),
    column('Internal-IP', 'string', NODE.internalIP, { priority: 1 }),
    column('External-IP', 'string', NODE.externalIP, { priority: 1 }),
    column('OS-Image', 'string', NODE.osImage, { priority: 1 }),
    column('Kernel-Version', 'string', NODE.kernelVersion, { priority: 1 }),
    column('Container-Runtime', 'string', NODE.containerRuntimeVersion, { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const node = obj as Node;
    const info = node.status?.nodeInfo;
    const roles = nodeRoles(node).join(',');
    return [
      node.metadata.name ?? '',
      nodeStatus(node),
      roles || '<none>',
      translateTimestampSince(node.metadata.creationTimestamp, now),
      info?.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ];
  },
};
