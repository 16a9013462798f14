// Sets of field paths, as structured-merge-diff's fieldpath.Set: a tree whose nodes are path
// elements (a field name, the key values of an associative-list item, a set member's value, or
// a list index), each node either a member (owned itself), a parent of members, or both. Ordered
// as fieldpath orders them, serialized to and from the FieldsV1 JSON of metadata.managedFields.

export type JsonScalar = string | number | boolean | null;

export type PathElement =
  | { readonly field: string }
  /** Key field names and values, sorted by name. */
  | { readonly key: readonly (readonly [string, unknown])[] }
  | { readonly value: unknown }
  | { readonly index: number };

/** Go's encoding/json text of a value: object keys sorted, `<`, `>`, `&` escaped. */
export function goJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v as Record<string, unknown>).sort();
    return `{${keys.map((k) => `${goString(k)}:${goJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  if (typeof v === 'string') return goString(v);
  return JSON.stringify(v);
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The FieldsV1 key of a path element: `f:name`, `k:{"port":80,"protocol":"TCP"}`, `v:"x"`, `i:0`. */
export function serializeElement(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  if ('key' in pe) return `k:{${pe.key.map(([k, v]) => `${goString(k)}:${goJson(v)}`).join(',')}}`;
  if ('value' in pe) return `v:${goJson(pe.value)}`;
  return `i:${pe.index}`;
}

export function parseElement(s: string): PathElement {
  const body = s.slice(2);
  switch (s.slice(0, 2)) {
    case 'f:':
      return { field: body };
    case 'v:':
      return { value: JSON.parse(body) as unknown };
    case 'k:': {
      const obj = JSON.parse(body) as Record<string, unknown>;
      return { key: Object.keys(obj).sort().map((k) => [k, obj[k]] as const) };
    }
    case 'i:':
      return { index: Number(body) };
    default:
      throw new Error(`Cannot parse path element ${JSON.stringify(s)}: unknown type`);
  }
}

/** fieldpath.PathElement.String(): `.name`, `[port=80,protocol="TCP"]`, `[="x"]`, `[0]`. */
export function elementString(pe: PathElement): string {
  if ('field' in pe) return `.${pe.field}`;
  if ('key' in pe) return `[${pe.key.map(([k, v]) => `${k}=${valueString(v)}`).join(',')}]`;
  if ('value' in pe) return `[=${valueString(pe.value)}]`;
  return `[${pe.index}]`;
}

/** value.ToString. */
function valueString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(valueString).join(',')}]`;
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}=${valueString(x)}`)
      .join('');
  }
  return String(v);
}

const rank = (pe: PathElement) => ('field' in pe ? 0 : 'key' in pe ? 1 : 'value' in pe ? 2 : 3);

function typeRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 2;
  if (typeof v === 'boolean') return 3;
  if (Array.isArray(v)) return 4;
  if (v !== null && typeof v === 'object') return 5;
  return 6;
}

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

/** value.Compare: numbers, strings, bools, lists, maps, null. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
    case 2:
      return cmp(a as number | string, b as number | string);
    case 3:
      return a === b ? 0 : a ? 1 : -1;
    case 4: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i], y[i]);
        if (c) return c;
      }
      return x.length - y.length;
    }
    case 5: {
      const x = Object.keys(a as object).sort();
      const y = Object.keys(b as object).sort();
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = cmp(x[i]!, y[i]!) || compareValues((a as Record<string, unknown>)[x[i]!], (b as Record<string, unknown>)[y[i]!]);
        if (c) return c;
      }
      return x.length - y.length;
    }
    default:
      return 0;
  }
}

export function compareElements(a: PathElement, b: PathElement): number {
  const r = rank(a) - rank(b);
  if (r) return r;
  if ('field' in a && 'field' in b) return cmp(a.field, b.field);
  if ('key' in a && 'key' in b) {
    for (let i = 0; i < Math.min(a.key.length, b.key.length); i++) {
      const c = cmp(a.key[i]![0], b.key[i]![0]) || compareValues(a.key[i]![1], b.key[i]![1]);
      if (c) return c;
    }
    return a.key.length - b.key.length;
  }
  if ('value' in a && 'value' in b) return compareValues(a.value, b.value);
  if ('index' in a && 'index' in b) return a.index - b.index;
  return 0;
}

export type Path = readonly PathElement[];

export function pathString(p: Path): string {
  return p.map(elementString).join('');
}

/** An immutable-by-convention set of paths. Operations return new sets. */
export class FieldSet {
  /** Serialized element → element, for members. */
  readonly members = new Map<string, PathElement>();
  /** Serialized element → child set (never empty). */
  readonly children = new Map<string, { pe: PathElement; set: FieldSet }>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds a path (in place; for building). */
  insert(p: Path): void {
    if (p.length === 0) return;
    let s: FieldSet = this;
    for (let i = 0; i < p.length - 1; i++) {
      const pe = p[i]!;
      const id = serializeElement(pe);
      let c = s.children.get(id);
      if (!c) {
        c = { pe, set: new FieldSet() };
        s.children.set(id, c);
      }
      s = c.set;
    }
    const last = p[p.length - 1]!;
    s.members.set(serializeElement(last), last);
  }

  empty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  has(p: Path): boolean {
    if (p.length === 0) return false;
    let s: FieldSet | undefined = this;
    for (let i = 0; i < p.length - 1 && s; i++) s = s.children.get(serializeElement(p[i]!))?.set;
    return !!s && s.members.has(serializeElement(p[p.length - 1]!));
  }

  /** The subset below `pe` (empty if none). */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializeElement(pe))?.set ?? new FieldSet();
  }

  union(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) out.members.set(id, pe);
    for (const [id, pe] of o.members) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      const oc = o.children.get(id);
      out.children.set(id, { pe: c.pe, set: oc ? c.set.union(oc.set) : c.set });
    }
    for (const [id, c] of o.children) if (!out.children.has(id)) out.children.set(id, c);
    return out;
  }

  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (o.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      const oc = o.children.get(id);
      if (!oc) continue;
      const i = c.set.intersection(oc.set);
      if (!i.empty()) out.children.set(id, { pe: c.pe, set: i });
    }
    return out;
  }

  /** Members of `o` removed at each level; a member of `o` does not remove this set's children. */
  difference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (!o.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      const oc = o.children.get(id);
      if (!oc) {
        out.children.set(id, c);
        continue;
      }
      const d = c.set.difference(oc.set);
      if (!d.empty()) out.children.set(id, { pe: c.pe, set: d });
    }
    return out;
  }

  /** Like difference, but a member of `o` also removes everything below it. */
  recursiveDifference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [id, pe] of this.members) if (!o.members.has(id)) out.members.set(id, pe);
    for (const [id, c] of this.children) {
      if (o.members.has(id)) continue;
      const oc = o.children.get(id);
      if (!oc) {
        out.children.set(id, c);
        continue;
      }
      const d = c.set.recursiveDifference(oc.set);
      if (!d.empty()) out.children.set(id, { pe: c.pe, set: d });
    }
    return out;
  }

  equals(o: FieldSet): boolean {
    return toFieldsV1(this) === toFieldsV1(o);
  }

  /** Every member path in fieldpath order: a level's members, then its children. */
  paths(): Path[] {
    const out: Path[] = [];
    const walk = (s: FieldSet, prefix: Path) => {
      for (const pe of sorted([...s.members.values()])) out.push([...prefix, pe]);
      for (const c of sorted([...s.children.values()].map((x) => x.pe))) walk(s.children.get(serializeElement(c))!.set, [...prefix, c]);
    };
    walk(this, []);
    return out;
  }
}

function sorted(pes: PathElement[]): PathElement[] {
  return pes.sort(compareElements);
}

/** FieldsV1 JSON text: keys in fieldpath order, `{}` for members, `"."` for members with children. */
export function toFieldsV1(s: FieldSet): string {
  return JSON.stringify(toFieldsV1Object(s));
}

export function toFieldsV1Object(s: FieldSet, self = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (self) out['.'] = {};
  const all = new Map<string, PathElement>();
  for (const [id, pe] of s.members) all.set(id, pe);
  for (const [id, c] of s.children) all.set(id, c.pe);
  for (const pe of sorted([...all.values()])) {
    const id = serializeElement(pe);
    const child = s.children.get(id);
    out[id] = child ? toFieldsV1Object(child.set, s.members.has(id)) : {};
  }
  return out;
}

/** Parses FieldsV1 JSON (already decoded); throws on malformed element keys. */
export function fromFieldsV1(v: unknown): FieldSet {
  const s = new FieldSet();
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('FieldsV1 must be a JSON object');
  for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
    if (k === '.') continue;
    const pe = parseElement(k);
    const id = serializeElement(pe);
    if (child === null || typeof child !== 'object' || Array.isArray(child)) throw new Error(`FieldsV1 entry ${k} must be an object`);
    const entries = Object.keys(child);
    if (entries.length === 0 || entries.includes('.')) s.members.set(id, pe);
    const sub = fromFieldsV1(child);
    if (!sub.empty()) s.children.set(id, { pe, set: sub });
  }
  return s;
}
