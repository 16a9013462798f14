// structured-merge-diff's typed operations over kubeloop schemas: the field set of a value,
// merging an applied configuration into a live object, comparing two objects, removing fields,
// and validating an applied configuration. Ports of sigs.k8s.io/structured-merge-diff typed/
// (tofieldset.go, merge.go, remove.go, validate.go) with the same rules: atomic lists, maps and
// structs are leaves; associative lists are keyed by their list-map keys (defaults filling
// omitted keys) or, for sets, by the value; an empty map or list on both sides is a leaf.
import { fieldOf, type ListNode, type SchemaNode } from '../../api/schema/index.js';
import { FieldSet, pathString, serializeElement, type Path, type PathElement } from './_fieldSet.js';

const DEDUCED: SchemaNode = { kind: 'any', name: 'deduced' };

type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

type Shape = { t: 'leaf' } | { t: 'map'; child: (k: string) => SchemaNode; declared: (k: string) => boolean } | { t: 'list'; node: ListNode };

const LEAF: Shape = { t: 'leaf' };

/** How a node treats these values: a leaf, a map of children, or a granular list. */
function shapeOf(node: SchemaNode, ...values: unknown[]): Shape {
  const present = values.filter((v) => v !== undefined && v !== null);
  switch (node.kind) {
    case 'struct':
      if (node.atomic || !present.every(isObj)) return LEAF;
      return { t: 'map', child: (k) => fieldOf(node, k)?.node ?? DEDUCED, declared: (k) => fieldOf(node, k) !== undefined };
    case 'map':
      if (node.atomic || !present.every(isObj)) return LEAF;
      return { t: 'map', child: () => node.values, declared: () => false };
    case 'list':
      if (node.listType === 'atomic' || !present.every(Array.isArray)) return LEAF;
      return { t: 'list', node };
    case 'any':
      // Deduced like structured-merge-diff's untyped values: maps are granular, lists atomic.
      if (present.length === 0 || !present.every(isObj)) return LEAF;
      return { t: 'map', child: () => DEDUCED, declared: () => false };
    case 'scalar':
      return LEAF;
    default: {
      const never: never = node;
      return never;
    }
  }
}

export class TypedError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'TypedError';
  }
}

/** The path element of a list item: its keys (defaults filling omitted ones) or its value. */
export function listItemElement(node: ListNode, index: number, item: unknown): PathElement {
  if (node.listType === 'set') return { value: item };
  if (node.listType !== 'map') return { index };
  if (item === null) throw new Error('associative list with keys may not have a null element');
  if (!isObj(item)) throw new Error('associative list with keys may not have non-map elements');
  const key: [string, unknown][] = [];
  for (const k of node.keys ?? []) {
    if (Object.prototype.hasOwnProperty.call(item, k)) key.push([k, item[k]]);
    else {
      const def = node.items.kind === 'struct' ? fieldOf(node.items, k)?.default : undefined;
      if (def === undefined) throw new Error(`associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`);
      key.push([k, def]);
    }
  }
  key.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { key };
}

/** Item elements of a list, skipping items that have none (invalid items in a live object). */
function itemElements(node: ListNode, list: readonly unknown[]): { pe: PathElement; item: unknown; id: string }[] {
  const out: { pe: PathElement; item: unknown; id: string }[] = [];
  list.forEach((item, i) => {
    try {
      const pe = listItemElement(node, i, item);
      out.push({ pe, item, id: serializeElement(pe) });
    } catch {
      // structured-merge-diff refuses such objects; here they are carried as they are.
    }
  });
  return out;
}


// ---------------------------------------------------------------- field sets

/** typed.ToFieldSet: every leaf, list item and set map entry of `v`. */
export function toFieldSet(node: SchemaNode, v: unknown): FieldSet {
  const set = new FieldSet();
  const walk = (n: SchemaNode, value: unknown, path: PathElement[]) => {
    const s = shapeOf(n, value);
    if (s.t === 'leaf') {
      set.insert(path);
      return;
    }
    if (s.t === 'list') {
      for (const { pe, item } of itemElements(s.node, value as unknown[])) {
        const p = [...path, pe];
        walk(s.node.items, item, p);
        set.insert(p);
      }
      return;
    }
    if (!isObj(value)) return;
    for (const [k, child] of Object.entries(value)) {
      const p = [...path, { field: k }];
      walk(s.child(k), child, p);
      if (child === null || (isObj(child) && Object.keys(child).length === 0) || !s.declared(k)) set.insert(p);
    }
  };
  walk(node, v, []);
  return set;
}

/** Set.EnsureNamedFieldsAreMembers: declared struct fields with children become members too. */
export function ensureNamedFieldsAreMembers(node: SchemaNode, s: FieldSet): FieldSet {
  const out = new FieldSet();
  for (const [id, pe] of s.members) out.members.set(id, pe);
  for (const [id, c] of s.children) {
    let child: SchemaNode = DEDUCED;
    if ('field' in c.pe && node.kind === 'struct') {
      const f = fieldOf(node, c.pe.field);
      if (f) {
        out.members.set(id, c.pe);
        child = f.node;
      }
    } else if ('field' in c.pe && node.kind === 'map') child = node.values;
    else if ('key' in c.pe && node.kind === 'list') child = node.items;
    out.children.set(id, { pe: c.pe, set: ensureNamedFieldsAreMembers(child, c.set) });
  }
  return out;
}

// ---------------------------------------------------------------- merge and compare

interface MergeHooks {
  /** At leaves (scalars, atomics, empty collections): the merged value. */
  leaf(path: Path, lhs: unknown, rhs: unknown): void;
  /** After a map or list's children. */
  post?(path: Path, lhs: unknown, rhs: unknown): void;
}

/** The walk of typed.merge: `rhs` wins at leaves, maps and associative lists merge. */
function mergeWalk(node: SchemaNode, lhs: unknown, rhs: unknown, path: PathElement[], hooks: MergeHooks): unknown {
  const s = shapeOf(node, lhs, rhs);
  const leafOut = () => {
    hooks.leaf(path, lhs, rhs);
    return rhs !== undefined ? rhs : lhs;
  };
  if (s.t === 'leaf') return leafOut();
  let out: unknown;
  if (s.t === 'list') {
    const l = (Array.isArray(lhs) ? lhs : []) as unknown[];
    const r = (Array.isArray(rhs) ? rhs : []) as unknown[];
    if (l.length === 0 && r.length === 0) return leafOut();
    const rItems = itemElements(s.node, r);
    const rById = new Map(rItems.map((x) => [x.id, x]));
    const lIds = new Set<string>();
    const items: unknown[] = [];
    for (const x of itemElements(s.node, l)) {
      if (lIds.has(x.id)) {
        items.push(x.item);
        continue;
      }
      lIds.add(x.id);
      const m = mergeWalk(s.node.items, x.item, rById.get(x.id)?.item, [...path, x.pe], hooks);
      if (m !== undefined) items.push(m);
    }
    for (const x of rItems) {
      if (lIds.has(x.id)) continue;
      lIds.add(x.id);
      const m = mergeWalk(s.node.items, undefined, x.item, [...path, x.pe], hooks);
      if (m !== undefined) items.push(m);
    }
    out = items.length ? items : undefined;
  } else {
    const l = isObj(lhs) ? lhs : {};
    const r = isObj(rhs) ? rhs : {};
    if (Object.keys(l).length === 0 && Object.keys(r).length === 0) return leafOut();
    const merged: Obj = {};
    const keys = [...Object.keys(l), ...Object.keys(r).filter((k) => !Object.prototype.hasOwnProperty.call(l, k))];
    for (const k of keys) {
      const lv = Object.prototype.hasOwnProperty.call(l, k) ? l[k] : undefined;
      const rv = Object.prototype.hasOwnProperty.call(r, k) ? r[k] : undefined;
      const m = mergeWalk(s.child(k), lv, rv, [...path, { field: k }], hooks);
      if (m !== undefined) merged[k] = m;
    }
    out = Object.keys(merged).length ? merged : undefined;
  }
  hooks.post?.(path, lhs, rhs);
  return out;
}

/** typed.Merge with ruleKeepRHS: the configuration `rhs` merged into `lhs`. */
export function mergeValues(node: SchemaNode, lhs: unknown, rhs: unknown): unknown {
  return mergeWalk(node, lhs, rhs, [], { leaf: () => undefined });
}

export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

export function isSame(c: Comparison): boolean {
  return c.added.empty() && c.removed.empty() && c.modified.empty();
}

/** typed.Compare: which fields `rhs` adds to, removes from, or changes in `lhs`. */
export function compareObjects(node: SchemaNode, lhs: unknown, rhs: unknown): Comparison {
  const c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() };
  mergeWalk(node, lhs, rhs, [], {
    leaf: (path, l, r) => {
      if (l === undefined) c.added.insert(path);
      else if (r === undefined) c.removed.insert(path);
      else if (!deepEqual(l, r)) c.modified.insert(path);
    },
    post: (path, l, r) => {
      if (l === undefined) c.added.insert(path);
      else if (r === undefined) c.removed.insert(path);
    },
  });
  return c;
}

export function excludeFields(c: Comparison, ignored: FieldSet): Comparison {
  if (ignored.empty()) return c;
  return { added: c.added.recursiveDifference(ignored), removed: c.removed.recursiveDifference(ignored), modified: c.modified.recursiveDifference(ignored) };
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a)) {
    if (!isObj(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

// ---------------------------------------------------------------- removal

/** TypedValue.RemoveItems: `v` without the members of `toRemove` (and what is below them). */
export function removeItems(node: SchemaNode, v: unknown, toRemove: FieldSet): unknown {
  const s = shapeOf(node, v);
  if (s.t === 'leaf') return v;
  if (s.t === 'list') {
    const list = v as unknown[];
    if (list.length === 0) return null;
    const items: unknown[] = [];
    list.forEach((item, i) => {
      let pe: PathElement;
      try {
        pe = listItemElement(s.node, i, item);
      } catch {
        items.push(item);
        return;
      }
      if (toRemove.has([pe])) return;
      const sub = toRemove.withPrefix(pe);
      items.push(sub.empty() ? item : removeItems(s.node.items, item, sub));
    });
    return items.length ? items : null;
  }
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, child] of Object.entries(v)) {
    const pe = { field: k };
    if (toRemove.has([pe])) continue;
    const sub = toRemove.withPrefix(pe);
    out[k] = sub.empty() ? child : removeItems(s.child(k), child, sub);
  }
  return Object.keys(out).length ? out : null;
}

// ---------------------------------------------------------------- validation

/**
 * typed.Validate (ObjectToTyped without AllowDuplicates), for an applied configuration: fields
 * the schema lacks, scalars of the wrong JSON type, list items without keys, duplicate keys.
 * Messages are structured-merge-diff's, prefixed with the path (`.spec.foo: field not declared in schema`).
 */
export function validateTyped(node: SchemaNode, v: unknown): TypedError[] {
  const errs: TypedError[] = [];
  const err = (path: PathElement[], msg: string) => errs.push(new TypedError(pathString(path), msg));
  const walk = (n: SchemaNode, value: unknown, path: PathElement[]) => {
    if (value === null || value === undefined) return;
    switch (n.kind) {
      case 'any':
        return;
      case 'scalar': {
        const numeric = n.type === 'int32' || n.type === 'int64' || n.type === 'float64';
        const untyped = n.type === 'intOrString' || n.type === 'quantity';
        if (numeric && typeof value !== 'number') err(path, `expected numeric (int or float), got ${goTypeName(value)}`);
        else if (n.type === 'boolean' && typeof value !== 'boolean') err(path, `expected boolean, got &{${goV(value)}}`);
        else if (untyped && typeof value !== 'string' && typeof value !== 'number') err(path, `expected string or number, got ${goTypeName(value)}`);
        else if (!numeric && !untyped && n.type !== 'boolean' && typeof value !== 'string') err(path, `expected string, got &value.valueUnstructured{Value:${goSharpV(value)}}`);
        return;
      }
      case 'struct':
      case 'map': {
        if (!isObj(value)) return err(path, `expected map, got &{${goV(value)}}`);
        for (const [k, child] of Object.entries(value)) {
          if (n.kind === 'struct') {
            const f = fieldOf(n, k);
            if (!f) {
              err([...path, { field: k }], 'field not declared in schema');
              continue;
            }
            walk(f.node, child, [...path, { field: k }]);
          } else walk(n.values, child, [...path, { field: k }]);
        }
        return;
      }
      case 'list': {
        if (!Array.isArray(value)) return err(path, `expected list, got &{${goV(value)}}`);
        const seen = new Set<string>();
        value.forEach((item, i) => {
          let pe: PathElement;
          try {
            pe = listItemElement(n, i, item);
          } catch (e) {
            err(path, `element ${i}: ${(e as Error).message}`);
            return;
          }
          if (n.listType !== 'atomic') {
            const id = serializeElement(pe);
            if (seen.has(id)) err(path, `duplicate entries for key ${pathString([pe])}`);
            seen.add(id);
          }
          walk(n.items, item, [...path, pe]);
        });
        return;
      }
      default: {
        const never: never = n;
        return never;
      }
    }
  };
  walk(node, v, []);
  return errs;
}

/** Go's %T of a decoded JSON value. */
function goTypeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** Go's %v of a decoded JSON value. */
function goV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goV).join(' ')}]`;
  if (isObj(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${goV(v[k])}`).join(' ')}]`;
  return String(v);
}

/** Go's %#v of a decoded JSON value. */
function goSharpV(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSharpV).join(', ')}}`;
  if (isObj(v)) return `map[string]interface {}{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${goSharpV(v[k])}`).join(', ')}}`;
  return String(v);
}

/** The value Go's encoder writes for a zero-valued struct of this node (`spec: {}`, `containers: null`). */
export function zeroValue(node: SchemaNode): unknown {
  if (node.kind !== 'struct') return undefined;
  const out: Obj = {};
  for (const [k, f] of Object.entries(node.fields)) {
    if (f.zero === 'null') out[k] = null;
    else if (f.zero === 'struct') out[k] = zeroValue(f.node) ?? {};
  }
  return out;
}
