// What the apiserver's JSON decoder (sigs.k8s.io/json, strict mode) finds in a request body for
// a served kind: unknown and duplicate fields, in document order and with upstream's paths
// (`spec.ports[0].bar`), and values of the wrong JSON type, with Go's UnmarshalTypeError text
// (`json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32`).
import { goStructName, goTypeOf, type ScalarNode, type SchemaNode, type StructNode } from './_dsl.js';
import { goKind, parseJsonTree, treeOf, type JsonTree } from './_jsonTree.js';
import { base64Error, quantityError, timeError } from './_goScalars.js';
import { schemaFor } from './kinds.js';

export interface Gvk {
  apiVersion: string;
  kind: string;
}

export interface DecodeTypeError {
  /** Where the value is, in strict-error notation (`spec.ports[0].port`). */
  path: string;
  /** Go's error text (`json: cannot unmarshal …`, `quantities must match …`). */
  message: string;
  /**
   * Returned at once by a type's own UnmarshalJSON (IntOrString, Quantity, Time): Go stops
   * decoding there, so this error wins over any earlier non-fatal one.
   */
  fatal: boolean;
}

export interface FieldCheck {
  /** Unknown field paths, as upstream prints them inside `unknown field "…"`. */
  unknown: string[];
  typeErrors: DecodeTypeError[];
}

export interface StrictDecode {
  /** `unknown field "…"` and `duplicate field "…"`, in document order, deduplicated, at most 100. */
  strictErrors: string[];
  typeErrors: DecodeTypeError[];
}

const MAX_STRICT_ERRORS = 100;

/**
 * Checks a parsed object against the schema of its kind. Duplicate keys are invisible here (the
 * parse dropped them): use checkJson on the request text for those. A kind without a schema
 * yields no findings.
 */
export function checkObject(value: unknown, gvk: Gvk): FieldCheck {
  const schema = schemaFor(gvk.apiVersion, gvk.kind);
  if (!schema) return { unknown: [], typeErrors: [] };
  const w = new Walker({ duplicates: false });
  w.root(schema, treeOf(value));
  return { unknown: w.unknown, typeErrors: w.typeErrors };
}

/**
 * Decodes JSON request text as the apiserver's strict decoder would for `gvk`: unknown and
 * duplicate fields in one ordered list, plus type errors. Undefined for text that is not JSON.
 */
export function checkJson(text: string, gvk: Gvk): StrictDecode | undefined {
  const tree = parseJsonTree(text);
  if (!tree) return undefined;
  const schema = schemaFor(gvk.apiVersion, gvk.kind);
  if (!schema) return { strictErrors: [], typeErrors: [] };
  const w = new Walker({ duplicates: true });
  w.root(schema, tree);
  return { strictErrors: w.strict, typeErrors: w.typeErrors };
}

/**
 * Paths of repeated keys in JSON text (`spec.replicas`, `metadata.labels.app`), in document order.
 * With a kind, only where the typed decoder looks (known fields and map keys; nothing inside
 * unknown fields), as for a POST or PUT body; without, everywhere, as for a patch body that is
 * decoded into a plain map.
 */
export function findDuplicateFields(text: string, gvk?: Gvk): string[] {
  const tree = parseJsonTree(text);
  if (!tree) return [];
  const paths: string[] = [];
  const seen = new Set<string>();
  const note = (p: string) => {
    if (!seen.has(p) && paths.length < MAX_STRICT_ERRORS) {
      seen.add(p);
      paths.push(p);
    }
  };
  const schema = gvk ? schemaFor(gvk.apiVersion, gvk.kind) : undefined;
  if (schema) {
    const w = new Walker({ duplicates: true });
    w.root(schema, tree);
    for (const e of w.strict) if (e.startsWith('duplicate field ')) note(JSON.parse(e.slice('duplicate field '.length)) as string);
    return paths;
  }
  const walk = (v: JsonTree, at: string) => {
    if (v.t === 'array') v.items.forEach((item, i) => walk(item, `${at}[${i}]`));
    if (v.t !== 'object') return;
    const keys = new Set<string>();
    for (const [k, child] of v.entries) {
      const p = join(at, k);
      if (keys.has(k)) note(p);
      keys.add(k);
      walk(child, p);
    }
  };
  walk(tree, '');
  return paths;
}

/** The error Go's decoder returns for these type errors: the first fatal one, else the first. */
export function firstDecodeError(typeErrors: readonly DecodeTypeError[]): DecodeTypeError | undefined {
  return typeErrors.find((e) => e.fatal) ?? typeErrors[0];
}

/**
 * A copy of `value` without the fields its kind does not have, as decoding into the Go struct and
 * encoding again would leave it. Values of the wrong type are kept (they fail decoding anyway).
 */
export function pruneUnknownFields<T>(value: T, gvk: Gvk): T {
  const schema = schemaFor(gvk.apiVersion, gvk.kind);
  return schema ? (prune(schema, value) as T) : value;
}

function prune(node: SchemaNode, v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  switch (node.kind) {
    case 'struct': {
      if (Array.isArray(v)) return v;
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        const f = fieldOf(node, k);
        if (f) out[k] = prune(f.node, child);
      }
      return out;
    }
    case 'list':
      return Array.isArray(v) ? v.map((item) => prune(node.items, item)) : v;
    case 'map': {
      if (Array.isArray(v)) return v;
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) out[k] = prune(node.values, child);
      return out;
    }
    case 'scalar':
    case 'any':
      return v;
    default: {
      const never: never = node;
      return never;
    }
  }
}

/** The field `name` of a struct node, if it has one (own properties only). */
export function fieldOf(node: StructNode, name: string) {
  return Object.prototype.hasOwnProperty.call(node.fields, name) ? node.fields[name] : undefined;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

interface Context {
  /** sigs.k8s.io/json's strict path: keys joined by `.`, indexes as `[i]`. */
  path: string;
  /** encoding/json's errorContext.FieldStack: struct field names only. */
  fields: readonly string[];
  /** encoding/json's errorContext.Struct: the struct holding the innermost field. */
  struct: string;
}

class Walker {
  readonly strict: string[] = [];
  readonly unknown: string[] = [];
  readonly typeErrors: DecodeTypeError[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly o: { duplicates: boolean }) {}

  root(schema: StructNode, v: JsonTree): void {
    this.walk(schema, v, { path: '', fields: [], struct: goStructName(schema) });
  }

  private strictError(kind: 'unknown' | 'duplicate', path: string): void {
    const msg = `${kind} field ${JSON.stringify(path)}`;
    if (this.seen.has(msg) || this.strict.length >= MAX_STRICT_ERRORS) return;
    this.seen.add(msg);
    this.strict.push(msg);
    if (kind === 'unknown') this.unknown.push(path);
  }

  /** An UnmarshalTypeError, with the context encoding/json adds to it. */
  private typeError(at: Context, value: string, goType: string, fatal = false): void {
    const where = at.fields.length ? `Go struct field ${at.struct}.${at.fields.join('.')}` : 'Go value';
    this.typeErrors.push({ path: at.path, message: `json: cannot unmarshal ${value} into ${where} of type ${goType}`, fatal });
  }

  private walk(node: SchemaNode, v: JsonTree, at: Context): void {
    if (v.t === 'null') return;
    switch (node.kind) {
      case 'any':
        return;
      case 'struct': {
        if (v.t !== 'object') return this.typeError(at, goKind(v), goTypeOf(node));
        const seen = new Set<string>();
        for (const [k, child] of v.entries) {
          const f = fieldOf(node, k);
          const path = join(at.path, k);
          if (!f) {
            this.strictError('unknown', path);
            continue;
          }
          if (this.o.duplicates && seen.has(k)) this.strictError('duplicate', path);
          seen.add(k);
          this.walk(f.node, child, { path, fields: [...at.fields, k], struct: goStructName(node) });
        }
        return;
      }
      case 'map': {
        if (v.t !== 'object') return this.typeError(at, goKind(v), goTypeOf(node));
        const seen = new Set<string>();
        for (const [k, child] of v.entries) {
          const path = join(at.path, k);
          if (this.o.duplicates && seen.has(k)) this.strictError('duplicate', path);
          seen.add(k);
          this.walk(node.values, child, { ...at, path });
        }
        return;
      }
      case 'list': {
        if (v.t !== 'array') return this.typeError(at, goKind(v), goTypeOf(node));
        v.items.forEach((item, i) => this.walk(node.items, item, { ...at, path: `${at.path}[${i}]` }));
        return;
      }
      case 'scalar':
        return this.scalar(node, v, at);
      default: {
        const never: never = node;
        return never;
      }
    }
  }

  private scalar(node: ScalarNode, v: JsonTree, at: Context): void {
    const goType = goTypeOf(node);
    switch (node.type) {
      case 'string':
        if (v.t !== 'string') this.typeError(at, goKind(v), goType);
        return;
      case 'boolean':
        if (v.t !== 'bool') this.typeError(at, goKind(v), goType);
        return;
      case 'float64':
        if (v.t !== 'number') this.typeError(at, goKind(v), goType);
        return;
      case 'int32':
      case 'int64':
        if (v.t !== 'number') this.typeError(at, goKind(v), goType);
        else if (!fitsInt(v.raw, node.type)) this.typeError(at, `number ${v.raw}`, goType);
        return;
      case 'intOrString':
        // IntOrString.UnmarshalJSON: a string, else json.Unmarshal into its int32.
        if (v.t === 'string') return;
        if (v.t !== 'number') this.typeError(at, goKind(v), 'int32', true);
        else if (!fitsInt(v.raw, 'int32')) this.typeError(at, `number ${v.raw}`, 'int32', true);
        return;
      case 'quantity': {
        // Quantity.UnmarshalJSON: unquote if quoted, then ParseQuantity(TrimSpace(text)).
        const text = v.t === 'string' ? v.value.trim() : v.t === 'number' ? v.raw : v.t === 'bool' ? String(v.value) : '{';
        const err = quantityError(text);
        if (err) this.typeErrors.push({ path: at.path, message: err, fatal: true });
        return;
      }
      case 'time':
      case 'microTime': {
        if (v.t !== 'string') return this.typeError(at, goKind(v), 'string', true);
        const err = timeError(v.value, { micro: node.type === 'microTime' });
        if (err) this.typeErrors.push({ path: at.path, message: err, fatal: true });
        return;
      }
      case 'bytes': {
        if (v.t !== 'string') return this.typeError(at, goKind(v), goType);
        const err = base64Error(v.value);
        if (err) this.typeErrors.push({ path: at.path, message: err, fatal: false });
        return;
      }
      default: {
        const never: never = node.type;
        return never;
      }
    }
  }
}

const LIMITS = { int32: [-(2n ** 31n), 2n ** 31n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n] } as const;

/** strconv.ParseInt(literal, 10, 64) succeeds and the value fits the Go type. */
function fitsInt(raw: string, type: 'int32' | 'int64'): boolean {
  if (!/^-?\d+$/.test(raw)) return false;
  const n = BigInt(raw);
  const [lo, hi] = LIMITS[type];
  return n >= lo && n <= hi;
}
