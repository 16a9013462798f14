// The apiserver's default table convertor (apiserver pkg/registry/rest/table.go) for kinds with no
// printer: Name and Created At, the creation time as RFC 3339 in UTC.
import type { KubeObject } from '../objects.js';
import { NAME, CREATION_TIMESTAMP } from './descriptions.js';
import { parseTimestamp } from './duration.js';
import { column, type TablePrinter } from './printer.js';

/** Go's `Time.UTC().Format(time.RFC3339)`, including the zero time for an unset timestamp. */
export function formatRFC3339(ts: string | null | undefined): string {
  const ms = parseTimestamp(ts);
  if (ms === undefined) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const fallbackPrinter: TablePrinter = {
  columns: [column('Name', 'string', NAME, { format: 'name' }), column('Created At', 'date', CREATION_TIMESTAMP)],
  cells(obj: KubeObject): unknown[] {
    return [obj.metadata.name ?? '', formatRFC3339(obj.metadata.creationTimestamp)];
  },
};
