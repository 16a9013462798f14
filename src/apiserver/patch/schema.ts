// The strategic-merge-patch metadata of the kinds kubeloop serves: for each field that needs
// more than "objects merge, lists are replaced", what its Go struct tags say. Derived from the
// schemas in api/schema (the single copy of the `patchStrategy` / `patchMergeKey` tags of
// k8s.io/api and apimachinery meta/v1); fields without tags are left out, so every list not
// listed here (tolerations, taints, Endpoints subsets, EndpointSlice endpoints, args, ...) is atomic.
import { KIND_SCHEMAS, schemaFor, type Field, type StructNode } from '../../api/schema/index.js';

/** What the `patchStrategy` / `patchMergeKey` tags of one field say. */
export type SmpField =
  /** A struct (or map) whose own fields have tags; `retainKeys` mirrors patchStrategy:"retainKeys". */
  | { readonly kind: 'object'; readonly schema: SmpSchema; readonly retainKeys?: boolean }
  /** patchStrategy:"merge" + patchMergeKey on a list of objects. */
  | { readonly kind: 'mergeList'; readonly mergeKey: string; readonly items?: SmpSchema; readonly retainKeys?: boolean }
  /** patchStrategy:"merge" on a list of scalars: merged as a set. `element` is the Go kind. */
  | { readonly kind: 'set'; readonly element: 'string' }
  /** patchStrategy:"replace": taken from the patch as is. */
  | { readonly kind: 'replace' };

export interface SmpSchema {
  readonly fields: Readonly<Record<string, SmpField>>;
}

/** A struct or map nobody tagged: its maps merge and its lists are replaced. */
export const UNTAGGED: SmpSchema = { fields: {} };

const derived = new WeakMap<StructNode, SmpSchema>();

/** The tagged fields of a struct, and the structs below it that have tagged fields. */
function fromStruct(node: StructNode): SmpSchema {
  const known = derived.get(node);
  if (known) return known;
  const fields: Record<string, SmpField> = {};
  for (const [name, f] of Object.entries(node.fields)) {
    const smp = fromField(f);
    if (smp) fields[name] = smp;
  }
  const schema = Object.keys(fields).length ? { fields } : UNTAGGED;
  derived.set(node, schema);
  return schema;
}

function fromField(f: Field): SmpField | undefined {
  const strategies = (f.patchStrategy ?? '').split(',');
  const retainKeys = strategies.includes('retainKeys') ? { retainKeys: true } : {};
  const node = f.node;
  if (f.patchStrategy === 'replace') return { kind: 'replace' };
  if (node.kind === 'list') {
    if (!strategies.includes('merge')) return undefined;
    if (f.patchMergeKey) {
      const items = node.items.kind === 'struct' ? fromStruct(node.items) : UNTAGGED;
      return { kind: 'mergeList', mergeKey: f.patchMergeKey, ...(items !== UNTAGGED ? { items } : {}), ...retainKeys };
    }
    if (node.items.kind === 'scalar' && node.items.type === 'string') return { kind: 'set', element: 'string' };
    throw new Error(`Cannot derive a strategic merge patch schema: merge list of ${node.items.kind} without a merge key`);
  }
  if (node.kind === 'struct') {
    const schema = fromStruct(node);
    return schema !== UNTAGGED || 'retainKeys' in retainKeys ? { kind: 'object', schema, ...retainKeys } : undefined;
  }
  return undefined;
}

// Derive every served kind once, at load, so a schema mistake fails at start-up rather than mid-request.
for (const s of KIND_SCHEMAS) fromStruct(s);

/** The schema of a served kind; undefined means strategic merge patch is unsupported (415), as for CRDs. */
export function smpSchemaFor(apiVersion: string, kind: string): SmpSchema | undefined {
  const node = schemaFor(apiVersion, kind);
  return node ? fromStruct(node) : undefined;
}
