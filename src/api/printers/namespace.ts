// Namespaces: NAME, STATUS (the phase), AGE.
import type { Namespace } from '../core.js';
import type { KubeObject } from '../objects.js';
import { NAME, CREATION_TIMESTAMP, NAMESPACE_STATUS } from './descriptions.js';
import { translateTimestampSince } from './duration.js';
import { column, type TablePrinter } from './printer.js';

export const namespacePrinter: TablePrinter = {
  columns: [column('Name', 'string', NAME, { format: 'name' }), column('Status', 'string', NAMESPACE_STATUS), column('Age', 'string', CREATION_TIMESTAMP)],
  cells(obj: KubeObject, now: Date): unknown[] {
    const ns = obj as Namespace;
    return [ns.metadata.name ?? '', ns.status?.phase ?? '', translateTimestampSince(ns.metadata.creationTimestamp, now)];
  },
};
