// Server-side Table output (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`) and
// PartialObjectMetadata, as kubectl get needs them.
import type { KubeObject, PartialObjectMetadata, Table, TableColumnDefinition, TableRow } from '../../api/index.js';

export interface TablePrinter {
  columns: TableColumnDefinition[];
  cells(obj: KubeObject, now: Date): unknown[];
  /** Row conditions (pods: `Completed` for terminal pods, which kubectl hides without -a). */
  conditions?(obj: KubeObject): { type: string; status: string }[] | undefined;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function partialMetadata(obj: KubeObject): PartialObjectMetadata {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function toTable(
  printer: TablePrinter,
  objects: KubeObject[],
  opts: { now: Date; resourceVersion?: string; continue?: string; includeObject: IncludeObject; noHeaders?: boolean },
): Table {
  const rows: TableRow[] = objects.map((o) => {
    const row: TableRow = { cells: printer.cells(o, opts.now) };
    const conditions = printer.conditions?.(o);
    if (conditions?.length) row.conditions = conditions;
    if (opts.includeObject === 'Metadata') row.object = partialMetadata(o);
    else if (opts.includeObject === 'Object') row.object = o;
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      ...(opts.resourceVersion !== undefined ? { resourceVersion: opts.resourceVersion } : {}),
      ...(opts.continue ? { continue: opts.continue } : {}),
    },
    columnDefinitions: opts.noHeaders ? [] : printer.columns,
    rows,
  };
}

/** What representation the Accept header asks for. */
export type Representation = { as: 'object' } | { as: 'Table' } | { as: 'PartialObjectMetadata' } | { as: 'PartialObjectMetadataList' };

export function negotiate(accept: string | undefined): Representation {
  for (const raw of (accept ?? '').split(',')) {
    const parts = raw.split(';').map((p) => p.trim());
    const params = new Map(parts.slice(1).map((p) => p.split('=').map((x) => x.trim()) as [string, string]));
    const as = params.get('as');
    if (!as) return { as: 'object' };
    if (params.get('g') !== 'meta.k8s.io' || !['v1', 'v1beta1'].includes(params.get('v') ?? '')) continue;
    if (as === 'Table') return { as: 'Table' };
    if (as === 'PartialObjectMetadata') return { as: 'PartialObjectMetadata' };
    if (as === 'PartialObjectMetadataList') return { as: 'PartialObjectMetadataList' };
  }
  return { as: 'object' };
}
