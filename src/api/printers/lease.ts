// Leases: NAME, HOLDER (holderIdentity or ""), AGE.
import type { Lease } from '../coordination.js';
import type { KubeObject } from '../objects.js';
import { NAME, CREATION_TIMESTAMP, LEASE_HOLDER } from './descriptions.js';
import { translateTimestampSince } from './duration.js';
import { column, type TablePrinter } from './printer.js';

export const leasePrinter: TablePrinter = {
  columns: [column('Name', 'string', NAME, { format: 'name' }), column('Holder', 'string', LEASE_HOLDER), column('Age', 'string', CREATION_TIMESTAMP)],
  cells(obj: KubeObject, now: Date): unknown[] {
    const l = obj as unknown as Lease;
    return [l.metadata.name ?? '', l.spec?.holderIdentity ?? '', translateTimestampSince(l.metadata.creationTimestamp, now)];
  },
};
