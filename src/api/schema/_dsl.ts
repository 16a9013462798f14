// The schema language: a tree of nodes describing the JSON of an API type, with the facts three
// consumers need — the decoder (unknown fields, JSON types, Go type names for error texts), the
// OpenAPI documents (names, required fields, enums, defaults), and the merge engines (strategic
// merge patch tags, server-side apply list/map/struct types). Pure data.

/** JSON scalars and the Kubernetes wire types that decode from more than one JSON type. */
export type ScalarType =
  | 'string'
  | 'int32'
  | 'int64'
  | 'float64'
  | 'boolean'
  /** intstr.IntOrString: a JSON number or string. */
  | 'intOrString'
  /** resource.Quantity: a string like `100m` (numbers are accepted too). */
  | 'quantity'
  /** metav1.Time, RFC 3339 string. */
  | 'time'
  /** metav1.MicroTime, RFC 3339 string with microseconds. */
  | 'microTime'
  /** []byte: a base64 string. */
  | 'bytes';

export interface ScalarNode {
  readonly kind: 'scalar';
  readonly type: ScalarType;
  readonly enum?: readonly string[];
  /** The Go type name when it is a named type (`v1.Protocol`), for decoder error texts. */
  readonly goType?: string;
}

/** A Go struct. `name` is its OpenAPI definition name (`io.k8s.api.core.v1.ServicePort`). */
export interface StructNode {
  readonly kind: 'struct';
  readonly name: string;
  readonly fields: Readonly<Record<string, Field>>;
  /** `+structType=atomic`: server-side apply owns and replaces it as a whole. */
  readonly atomic?: boolean;
  /** Set on the top-level kinds. */
  readonly gvk?: GroupVersionKind;
}

export interface ListNode {
  readonly kind: 'list';
  readonly items: SchemaNode;
  /** `x-kubernetes-list-type`: atomic (replaced whole), set (of scalars), map (keyed by `keys`). */
  readonly listType: 'atomic' | 'set' | 'map';
  readonly keys?: readonly string[];
}

/** A JSON object with arbitrary keys (`map[string]T`). */
export interface MapNode {
  readonly kind: 'map';
  readonly values: SchemaNode;
  /** `+mapType=atomic`. */
  readonly atomic?: boolean;
  readonly goType?: string;
}

/** Any JSON (FieldsV1, RawExtension): never has unknown fields, never a type error. */
export interface AnyNode {
  readonly kind: 'any';
  readonly name: string;
  readonly openapiType?: 'object';
}

export type SchemaNode = ScalarNode | StructNode | ListNode | MapNode | AnyNode;

export type PatchStrategy = 'merge' | 'retainKeys' | 'merge,retainKeys' | 'replace';

/** One struct field: its node plus what the Go struct tags and markers say about it. */
export interface Field {
  readonly node: SchemaNode;
  readonly required?: boolean;
  /** OpenAPI `default`; server-side apply uses it for omitted list-map keys (`protocol: TCP`). */
  readonly default?: string | number | boolean;
  /** `patchStrategy` struct tag. */
  readonly patchStrategy?: PatchStrategy;
  /** `patchMergeKey` struct tag. */
  readonly patchMergeKey?: string;
  /**
   * What Go's encoder writes for this field of a zero-valued struct: a struct value (`{}`) or
   * `null` (non-omitempty slices, maps, metav1.Time). Server-side apply compares a created object
   * against that zero value, which decides where managedFields carry `.` entries.
   */
  readonly zero?: 'struct' | 'null';
}

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

type FieldOptions = Omit<Field, 'node'>;
type FieldSpec = SchemaNode | Field;

const scalar = (type: ScalarType): ScalarNode => ({ kind: 'scalar', type });

export const string = scalar('string');
export const int32 = scalar('int32');
export const int64 = scalar('int64');
export const float64 = scalar('float64');
export const bool = scalar('boolean');
export const intOrString = scalar('intOrString');
export const quantity = scalar('quantity');
export const time = scalar('time');
export const microTime = scalar('microTime');
export const bytes = scalar('bytes');
export const fieldsV1: AnyNode = { kind: 'any', name: 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1', openapiType: 'object' };
export const rawExtension: AnyNode = { kind: 'any', name: 'io.k8s.apimachinery.pkg.runtime.RawExtension', openapiType: 'object' };

/** A string of a named Go type (`v1.ConditionStatus`). */
export function named(goType: string): ScalarNode {
  return { kind: 'scalar', type: 'string', goType };
}

/** A string restricted to `values` in the OpenAPI document (the decoder accepts any string, as Go does). */
export function enumOf(values: readonly string[], goType?: string): ScalarNode {
  return { kind: 'scalar', type: 'string', enum: values, ...(goType ? { goType } : {}) };
}

function isField(spec: FieldSpec): spec is Field {
  return (spec as Field).node !== undefined;
}

export function field(spec: FieldSpec, options: FieldOptions): Field {
  return isField(spec) ? { ...spec, ...options } : { node: spec, ...options };
}

export function object(name: string, fields: Readonly<Record<string, FieldSpec>>, options: { atomic?: boolean; gvk?: GroupVersionKind } = {}): StructNode {
  const normalized: Record<string, Field> = {};
  for (const [k, spec] of Object.entries(fields)) normalized[k] = isField(spec) ? spec : { node: spec };
  return { kind: 'struct', name, fields: normalized, ...options };
}

export function list(items: SchemaNode, options: { type?: 'atomic' | 'set' | 'map'; keys?: readonly string[] } = {}): ListNode {
  const listType = options.type ?? 'atomic';
  return { kind: 'list', items, listType, ...(listType === 'map' ? { keys: options.keys ?? [] } : {}) };
}

export function map(values: SchemaNode, options: { atomic?: boolean; goType?: string } = {}): MapNode {
  return { kind: 'map', values, ...options };
}

/** `v1.ResourceList`: resource name → quantity. */
export const resourceList = map(quantity, { goType: 'v1.ResourceList' });

/** The Go type of a node as `reflect.Type.String()` prints it (`[]v1.Container`, `map[string]string`). */
export function goTypeOf(node: SchemaNode): string {
  switch (node.kind) {
    case 'scalar':
      if (node.goType) return node.goType;
      switch (node.type) {
        case 'string':
        case 'int32':
        case 'int64':
        case 'float64':
          return node.type;
        case 'boolean':
          return 'bool';
        case 'intOrString':
          return 'intstr.IntOrString';
        case 'quantity':
          return 'resource.Quantity';
        case 'time':
          return 'v1.Time';
        case 'microTime':
          return 'v1.MicroTime';
        case 'bytes':
          return '[]uint8';
        default: {
          const never: never = node.type;
          return never;
        }
      }
    case 'struct':
      return `v1.${goStructName(node)}`;
    case 'list':
      return `[]${goTypeOf(node.items)}`;
    case 'map':
      return node.goType ?? `map[string]${goTypeOf(node.values)}`;
    case 'any':
      return node.name.endsWith('FieldsV1') ? 'v1.FieldsV1' : 'runtime.RawExtension';
    default: {
      const never: never = node;
      return never;
    }
  }
}

/** `ServicePort` for `io.k8s.api.core.v1.ServicePort`. */
export function goStructName(node: StructNode): string {
  return node.name.slice(node.name.lastIndexOf('.') + 1);
}
