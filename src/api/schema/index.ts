// api/schema: the schema of every served kind — fields, JSON and Go types, OpenAPI facts, and the
// strategic-merge-patch and server-side-apply metadata — and the decoder checks built on it.
// Pure data and pure functions. See README.md.
export type {
  SchemaNode,
  ScalarNode,
  ScalarType,
  StructNode,
  ListNode,
  MapNode,
  AnyNode,
  Field,
  PatchStrategy,
  GroupVersionKind,
} from './_dsl.js';
export { goTypeOf, goStructName } from './_dsl.js';
export { schemaFor, KIND_SCHEMAS, META_SCHEMAS } from './kinds.js';
export {
  checkObject,
  checkJson,
  findDuplicateFields,
  firstDecodeError,
  pruneUnknownFields,
  fieldOf,
  type Gvk,
  type FieldCheck,
  type StrictDecode,
  type DecodeTypeError,
} from './decode.js';
export { findDuplicateYamlKeys } from './yamlDuplicates.js';
