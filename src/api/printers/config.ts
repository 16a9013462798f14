// ConfigMaps (DATA = data + binaryData keys), Secrets (TYPE, DATA) and ServiceAccounts (SECRETS).
// The counts are integers in string-typed columns, exactly as printers.go emits them.
import type { ConfigMap, Secret, ServiceAccount } from '../core.js';
import type { KubeObject } from '../objects.js';
import { NAME, CREATION_TIMESTAMP, CONFIGMAP_DATA, SECRET, SERVICE_ACCOUNT_SECRETS } from './descriptions.js';
import { translateTimestampSince } from './duration.js';
import { column, type TablePrinter } from './printer.js';

const keyCount = (m: Readonly<Record<string, unknown>> | undefined) => Object.keys(m ?? {}).length;

export const configMapPrinter: TablePrinter = {
  columns: [column('Name', 'string', NAME, { format: 'name' }), column('Data', 'string', CONFIGMAP_DATA), column('Age', 'string', CREATION_TIMESTAMP)],
  cells(obj: KubeObject, now: Date): unknown[] {
    const cm = obj as ConfigMap;
    return [cm.metadata.name ?? '', keyCount(cm.data) + keyCount(cm.binaryData), translateTimestampSince(cm.metadata.creationTimestamp, now)];
  },
};

export const secretPrinter: TablePrinter = {
  columns: [
    column('Name', 'string', NAME, { format: 'name' }),
    column('Type', 'string', SECRET.type),
    column('Data', 'string', SECRET.data),
    column('Age', 'string', CREATION_TIMESTAMP),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const s = obj as Secret;
    // stringData is merged into data on write; count the union in case an unmerged object is printed.
    const keys = new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})]);
    return [s.metadata.name ?? '', s.type ?? '', keys.size, translateTimestampSince(s.metadata.creationTimestamp, now)];
  },
};

export const serviceAccountPrinter: TablePrinter = {
  columns: [column('Name', 'string', NAME, { format: 'name' }), column('Secrets', 'string', SERVICE_ACCOUNT_SECRETS), column('Age', 'string', CREATION_TIMESTAMP)],
  cells(obj: KubeObject, now: Date): unknown[] {
    const sa = obj as ServiceAccount;
    return [sa.metadata.name ?? '', (sa.secrets ?? []).length, translateTimestampSince(sa.metadata.creationTimestamp, now)];
  },
};
