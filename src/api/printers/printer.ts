// The printer seam the API server's Table output uses: columns plus a cells function per kind.
import type { TableColumnDefinition } from '../meta.js';
import type { KubeObject } from '../objects.js';

/** metav1.TableRowCondition (pods mark finished rows Completed). */
export interface TableRowCondition {
  type: 'Completed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface TablePrinter {
  /** All columns, wide ones included (priority 1): the server always prints wide, kubectl hides them. */
  columns: TableColumnDefinition[];
  /** One cell per column, typed as the Go printer emits them (strings, or integers for integer counts). */
  cells(obj: KubeObject, now: Date): unknown[];
  /** Row conditions, where upstream sets them (pods). */
  conditions?(obj: KubeObject): TableRowCondition[] | undefined;
}

/** A column definition; `format` is "name" only on the Name column. */
export function column(
  name: string,
  type: TableColumnDefinition['type'],
  description: string,
  opts: { priority?: number; format?: string } = {},
): TableColumnDefinition {
  return { name, type, format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}
