// Deployments (READY ready/desired, UP-TO-DATE, AVAILABLE) and ReplicaSets (DESIRED, CURRENT,
// READY), each with wide CONTAINERS, IMAGES, SELECTOR, as printers.go prints them.
import type { Container } from '../core.js';
import type { Deployment, ReplicaSet } from '../apps.js';
import type { KubeObject } from '../objects.js';
import { formatLabelSelector, fromLabelSelector } from '../labels.js';
import { NAME, CREATION_TIMESTAMP, CONTAINERS, IMAGES, DEPLOYMENT, REPLICA_SET } from './descriptions.js';
import { translateTimestampSince } from './duration.js';
import { column, type TablePrinter } from './printer.js';

/** `layoutContainerCells`: names and images, comma-joined. */
export function layoutContainerCells(containers: readonly Container[] | undefined): [names: string, images: string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

export const deploymentPrinter: TablePrinter = {
  columns: [
    column('Name', 'string', NAME, { format: 'name' }),
    column('Ready', 'string', DEPLOYMENT.ready),
    column('Up-to-date', 'string', DEPLOYMENT.updatedReplicas),
    column('Available', 'string', DEPLOYMENT.availableReplicas),
    column('Age', 'string', CREATION_TIMESTAMP),
    column('Containers', 'string', CONTAINERS, { priority: 1 }),
    column('Images', 'string', IMAGES, { priority: 1 }),
    column('Selector', 'string', DEPLOYMENT.selector, { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const d = obj as unknown as Deployment;
    const status = d.status ?? {};
    const [names, images] = layoutContainerCells(d.spec?.template?.spec?.containers);
    return [
      d.metadata.name ?? '',
      `${status.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
      status.updatedReplicas ?? 0,
      status.availableReplicas ?? 0,
      translateTimestampSince(d.metadata.creationTimestamp, now),
      names,
      images,
      // LabelSelectorAsSelector(...).String(): "" for a nil or empty selector, unlike FormatLabelSelector.
      fromLabelSelector(d.spec?.selector).toString(),
    ];
  },
};

export const replicaSetPrinter: TablePrinter = {
  columns: [
    column('Name', 'string', NAME, { format: 'name' }),
    column('Desired', 'integer', REPLICA_SET.desired),
    column('Current', 'integer', REPLICA_SET.current),
    column('Ready', 'integer', REPLICA_SET.ready),
    column('Age', 'string', CREATION_TIMESTAMP),
    column('Containers', 'string', CONTAINERS, { priority: 1 }),
    column('Images', 'string', IMAGES, { priority: 1 }),
    column('Selector', 'string', REPLICA_SET.selector, { priority: 1 }),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const rs = obj as unknown as ReplicaSet;
    const [names, images] = layoutContainerCells(rs.spec?.template?.spec?.containers);
    return [
      rs.metadata.name ?? '',
      rs.spec?.replicas ?? 0,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      translateTimestampSince(rs.metadata.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};
