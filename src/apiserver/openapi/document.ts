// OpenAPI v3 documents for the served group-versions, built from api/schema: one document per
// group-version with a path item per REST endpoint (every operation carrying
// x-kubernetes-action and x-kubernetes-group-version-kind, writes carrying dryRun, fieldManager
// and fieldValidation) and components.schemas named as upstream names them
// (io.k8s.api.core.v1.Service) with the patch and list metadata kubectl's strategic merge patch
// and server-side apply read. kubectl looks for the PATCH operation of an object's GVK with a
// fieldValidation parameter to decide the server validates fields (cli-runtime QueryParamVerifierV3).
import { apiVersionOf, type ResourceType, type SubresourceType } from '../../api/index.js';
import { KIND_SCHEMAS, META_SCHEMAS, type Field, type SchemaNode, type StructNode } from '../../api/schema/index.js';

export type JsonObject = { [k: string]: unknown };

export const OPENAPI_VERSION = '3.0.0';
const REF = '#/components/schemas/';

export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
export const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';
export const PATCH = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
export const WATCH_EVENT = 'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent';
export const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';

/** The non-struct types properties refer to. */
const SCALAR_SCHEMAS: Record<string, JsonObject> = {
  [INT_OR_STRING]: { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
  [QUANTITY]: { oneOf: [{ type: 'string' }, { type: 'number' }] },
  [TIME]: { type: 'string', format: 'date-time' },
  [MICRO_TIME]: { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': { type: 'object' },
  [RAW_EXTENSION]: { type: 'object' },
  [PATCH]: { type: 'object' },
  [WATCH_EVENT]: {
    type: 'object',
    required: ['type', 'object'],
    properties: { object: { allOf: [{ $ref: REF + RAW_EXTENSION }] }, type: { type: 'string', default: '' } },
  },
};

const ref = (name: string) => ({ $ref: REF + name });

/**
 * How a schema walk writes references: v3 wraps a property's `$ref` in `allOf` (as upstream's
 * components do), swagger 2.0 writes it bare; `use` is told of every struct referred to.
 */
export interface SchemaRefs {
  refTo(name: string): JsonObject;
  use?(s: StructNode): void;
}

/** The schema of a value of this node, as a property, list item or map value. */
function valueSchema(node: SchemaNode, refs: SchemaRefs): JsonObject {
  switch (node.kind) {
    case 'scalar':
      switch (node.type) {
        case 'string':
          return { type: 'string', ...(node.enum ? { enum: [...node.enum] } : {}) };
        case 'int32':
        case 'int64':
          return { type: 'integer', format: node.type };
        case 'float64':
          return { type: 'number', format: 'double' };
        case 'boolean':
          return { type: 'boolean' };
        case 'bytes':
          return { type: 'string', format: 'byte' };
        case 'intOrString':
          return refs.refTo(INT_OR_STRING);
        case 'quantity':
          return refs.refTo(QUANTITY);
        case 'time':
          return refs.refTo(TIME);
        case 'microTime':
          return refs.refTo(MICRO_TIME);
        default: {
          const never: never = node.type;
          return never;
        }
      }
    case 'struct':
      refs.use?.(node);
      return { ...refs.refTo(node.name), default: {} };
    case 'list':
      return {
        type: 'array',
        items: valueSchema(node.items, refs),
        'x-kubernetes-list-type': node.listType,
        ...(node.listType === 'map' ? { 'x-kubernetes-list-map-keys': [...(node.keys ?? [])] } : {}),
      };
    case 'map':
      return { type: 'object', additionalProperties: valueSchema(node.values, refs), ...(node.atomic ? { 'x-kubernetes-map-type': 'atomic' } : {}) };
    case 'any':
      return refs.refTo(node.name);
    default: {
      const never: never = node;
      return never;
    }
  }
}

function propertySchema(f: Field, refs: SchemaRefs): JsonObject {
  return {
    ...valueSchema(f.node, refs),
    ...(f.default !== undefined ? { default: f.default } : {}),
    ...(f.patchMergeKey ? { 'x-kubernetes-patch-merge-key': f.patchMergeKey } : {}),
    ...(f.patchStrategy ? { 'x-kubernetes-patch-strategy': f.patchStrategy } : {}),
  };
}

/** The schema of a struct: its properties, required fields, GVK and map type. */
export function structSchemaWith(node: StructNode, refs: SchemaRefs): JsonObject {
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const [name, f] of Object.entries(node.fields)) {
    properties[name] = propertySchema(f, refs);
    if (f.required) required.push(name);
  }
  return {
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
    ...(node.gvk ? { 'x-kubernetes-group-version-kind': [{ group: node.gvk.group, kind: node.gvk.kind, version: node.gvk.version }] } : {}),
    ...(node.atomic ? { 'x-kubernetes-map-type': 'atomic' } : {}),
  };
}

const structSchema = (node: StructNode, use: (s: StructNode) => void): JsonObject => structSchemaWith(node, { refTo: (name) => ({ allOf: [ref(name)] }), use });

/** The List kind of a kind (ServiceList): apiVersion, items, kind, metadata. */
function listSchema(t: ResourceType, item: StructNode): StructNode {
  const prefix = item.name.slice(0, item.name.lastIndexOf('.') + 1);
  return {
    kind: 'struct',
    name: `${prefix}${t.listKind}`,
    gvk: { group: t.group, version: t.version, kind: t.listKind },
    fields: {
      apiVersion: { node: { kind: 'scalar', type: 'string' } },
      items: { node: { kind: 'list', items: item, listType: 'atomic' }, required: true },
      kind: { node: { kind: 'scalar', type: 'string' } },
      metadata: { node: META_SCHEMAS.ListMeta },
    },
  };
}

const schemaOfKind = (group: string, version: string, kind: string) =>
  KIND_SCHEMAS.find((s) => s.gvk?.group === group && s.gvk.version === version && s.gvk.kind === kind);

// ---------------------------------------------------------------- paths

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** `Core`, `Apps`, `Discovery` (from discovery.k8s.io), as operation ids name groups. */
const groupName = (g: string) => (g === '' ? 'Core' : g.split('.')[0]!.split('-').map(pascal).join(''));
const tag = (t: ResourceType) => `${g2(t.group)}_${t.version}`;
const g2 = (g: string) => (g === '' ? 'core' : g.split('.')[0]!.replace(/-/g, '_'));

const query = (name: string, description: string, type: 'string' | 'boolean' | 'integer' = 'string'): JsonObject => ({
  name,
  in: 'query',
  description,
  schema: { type, uniqueItems: true },
});

const P = {
  pretty: query('pretty', "If 'true', then the output is pretty printed."),
  dryRun: query('dryRun', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: query('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  fieldValidation: query(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default. - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.',
  ),
  force: query('force', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.', 'boolean'),
  gracePeriodSeconds: query('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', 'integer'),
  propagationPolicy: query('propagationPolicy', "Whether and how garbage collection will be performed: 'Orphan', 'Background' or 'Foreground'."),
  labelSelector: query('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  fieldSelector: query('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  limit: query('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
  continue: query('continue', 'The continue option should be set when retrieving more results from the server.'),
  resourceVersion: query('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  watch: query('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.', 'boolean'),
  allowWatchBookmarks: query('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK".', 'boolean'),
  timeoutSeconds: query('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
  name: (kind: string): JsonObject => ({ name: 'name', in: 'path', description: `name of the ${kind}`, required: true, schema: { type: 'string', uniqueItems: true } }),
  namespace: { name: 'namespace', in: 'path', description: 'object name and auth scope, such as for teams and projects', required: true, schema: { type: 'string', uniqueItems: true } },
};

const MEDIA = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const content = (schemaName: string, media = MEDIA): JsonObject => Object.fromEntries(media.map((m) => [m, { schema: ref(schemaName) }]));
const ok = (schemaName: string, code = '200', description = 'OK'): JsonObject => ({ [code]: { description, content: content(schemaName) } });
const UNAUTHORIZED = { '401': { description: 'Unauthorized' } };

interface OpSpec {
  verb: 'get' | 'put' | 'patch' | 'delete' | 'post';
  action: 'get' | 'list' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'post';
  id: string;
  description: string;
  gvk: { group: string; version: string; kind: string };
  tag: string;
  schema: string;
  listSchema?: string;
}

function operation(o: OpSpec): JsonObject {
  const writes = [P.dryRun, P.fieldManager, P.fieldValidation];
  const base = { description: o.description, operationId: o.id, tags: [o.tag], 'x-kubernetes-action': o.action, 'x-kubernetes-group-version-kind': { ...o.gvk } };
  const body = (required: boolean) => ({ requestBody: { content: content(o.schema, ['*/*']), required } });
  switch (o.action) {
    case 'get':
      return { ...base, responses: { ...ok(o.schema), ...UNAUTHORIZED } };
    case 'list':
      return {
        ...base,
        parameters: [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.timeoutSeconds, P.watch],
        responses: { ...ok(o.listSchema ?? o.schema), ...UNAUTHORIZED },
      };
    case 'put':
      return { ...base, parameters: writes, ...body(true), responses: { ...ok(o.schema), ...ok(o.schema, '201', 'Created'), ...UNAUTHORIZED } };
    case 'post':
      return {
        ...base,
        parameters: writes,
        ...body(true),
        responses: { ...ok(o.schema), ...ok(o.schema, '201', 'Created'), ...ok(o.schema, '202', 'Accepted'), ...UNAUTHORIZED },
      };
    case 'patch':
      return {
        ...base,
        parameters: [...writes, P.force],
        requestBody: {
          content: content(PATCH, ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']),
          required: true,
        },
        responses: { ...ok(o.schema), ...ok(o.schema, '201', 'Created'), ...UNAUTHORIZED },
      };
    case 'delete':
      return {
        ...base,
        parameters: [P.dryRun, P.gracePeriodSeconds, P.propagationPolicy],
        requestBody: { content: content(META_SCHEMAS.DeleteOptions.name, ['*/*']) },
        responses: { ...ok(META_SCHEMAS.Status.name), ...ok(META_SCHEMAS.Status.name, '202', 'Accepted'), ...UNAUTHORIZED },
      };
    case 'deletecollection':
      return {
        ...base,
        parameters: [P.continue, P.dryRun, P.fieldSelector, P.gracePeriodSeconds, P.labelSelector, P.limit, P.propagationPolicy, P.resourceVersion, P.timeoutSeconds],
        requestBody: { content: content(META_SCHEMAS.DeleteOptions.name, ['*/*']) },
        responses: { ...ok(META_SCHEMAS.Status.name), ...UNAUTHORIZED },
      };
    default: {
      const never: never = o.action;
      return never;
    }
  }
}

/** The path items of one resource and its status, scale and binding subresources. */
function resourcePaths(t: ResourceType, use: (s: StructNode) => void): Record<string, JsonObject> {
  const item = schemaOfKind(t.group, t.version, t.kind);
  if (!item) return {};
  use(item);
  const list = listSchema(t, item);
  use(list);
  const prefix = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  const scope = t.namespaced ? 'Namespaced' : '';
  const idOf = (verb: string, suffix = '') => `${verb}${groupName(t.group)}${pascal(t.version)}${scope}${t.kind}${suffix}`;
  const gvk = { group: t.group, version: t.version, kind: t.kind };
  const base = t.namespaced ? `${prefix}/namespaces/{namespace}/${t.plural}` : `${prefix}/${t.plural}`;
  const scopeParams = t.namespaced ? [P.namespace] : [];
  const has = (v: string) => t.verbs.includes(v as never);
  const spec = (o: Omit<OpSpec, 'tag' | 'gvk' | 'schema'> & Partial<Pick<OpSpec, 'gvk' | 'schema'>>): JsonObject =>
    operation({ tag: tag(t), gvk, schema: item.name, listSchema: list.name, ...o });
  const out: Record<string, JsonObject> = {};

  const collection: JsonObject = { parameters: [...scopeParams, P.pretty] };
  if (has('list')) collection.get = spec({ verb: 'get', action: 'list', id: idOf('list'), description: `list or watch objects of kind ${t.kind}` });
  if (has('create')) collection.post = spec({ verb: 'post', action: 'post', id: idOf('create'), description: `create a ${t.kind}` });
  if (has('deletecollection')) collection.delete = spec({ verb: 'delete', action: 'deletecollection', id: idOf('deleteCollection'), description: `delete collection of ${t.kind}` });
  out[base] = collection;

  const one: JsonObject = { parameters: [P.name(t.kind), ...scopeParams, P.pretty] };
  if (has('get')) one.get = spec({ verb: 'get', action: 'get', id: idOf('read'), description: `read the specified ${t.kind}` });
  if (has('update')) one.put = spec({ verb: 'put', action: 'put', id: idOf('replace'), description: `replace the specified ${t.kind}` });
  if (has('patch')) one.patch = spec({ verb: 'patch', action: 'patch', id: idOf('patch'), description: `partially update the specified ${t.kind}` });
  if (has('delete')) one.delete = spec({ verb: 'delete', action: 'delete', id: idOf('delete'), description: `delete a ${t.kind}` });
  out[`${base}/{name}`] = one;

  if (t.namespaced && has('list')) {
    out[`${prefix}/${t.plural}`] = {
      parameters: [P.pretty],
      get: spec({ verb: 'get', action: 'list', id: `list${groupName(t.group)}${pascal(t.version)}${t.kind}ForAllNamespaces`, description: `list or watch objects of kind ${t.kind}` }),
    };
  }

  for (const sub of t.subresources) Object.assign(out, subresourcePaths(t, sub, { base, idOf, scopeParams, gvk, item, use }));
  return out;
}

function subresourcePaths(
  t: ResourceType,
  sub: SubresourceType,
  c: { base: string; idOf: (verb: string, suffix?: string) => string; scopeParams: JsonObject[]; gvk: OpSpec['gvk']; item: StructNode; use: (s: StructNode) => void },
): Record<string, JsonObject> {
  const schema = schemaOfKind(sub.group, sub.version, sub.kind);
  if (!schema || !['status', 'scale', 'binding'].includes(sub.name)) return {};
  c.use(schema);
  const gvk = { group: sub.group, version: sub.version, kind: sub.kind };
  const suffix = pascal(sub.name);
  const item: JsonObject = { parameters: [P.name(sub.name === 'binding' ? 'Binding' : sub.kind), ...c.scopeParams, P.pretty] };
  const spec = (o: Omit<OpSpec, 'tag' | 'gvk' | 'schema'>) => operation({ tag: tag(t), gvk, schema: schema.name, ...o });
  const what = `${sub.name} of the specified ${t.kind}`;
  if (sub.verbs.includes('get')) item.get = spec({ verb: 'get', action: 'get', id: c.idOf('read', suffix), description: `read ${what}` });
  if (sub.verbs.includes('update')) item.put = spec({ verb: 'put', action: 'put', id: c.idOf('replace', suffix), description: `replace ${what}` });
  if (sub.verbs.includes('patch')) item.patch = spec({ verb: 'patch', action: 'patch', id: c.idOf('patch', suffix), description: `partially update ${what}` });
  if (sub.verbs.includes('create')) item.post = spec({ verb: 'post', action: 'post', id: c.idOf('create', suffix), description: `create ${what}` });
  return { [`${c.base}/{name}/${sub.name}`]: item };
}

/** `api/v1`, `apis/apps/v1`: the index keys of the group-versions of these types. */
export function groupVersionPath(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group ? `apis/${t.group}/${t.version}` : `api/${t.version}`;
}

/** The OpenAPI v3 document of one group-version. */
export function groupVersionDocument(types: readonly ResourceType[], gv: { group: string; version: string }): JsonObject {
  const structs = new Map<string, StructNode>();
  const use = (s: StructNode) => {
    if (!structs.has(s.name)) structs.set(s.name, s);
  };
  const paths: Record<string, JsonObject> = {};
  for (const t of types) if (t.group === gv.group && t.version === gv.version) Object.assign(paths, resourcePaths(t, use));
  use(META_SCHEMAS.Status);
  use(META_SCHEMAS.DeleteOptions);
  const schemas: Record<string, JsonObject> = {};
  walkStructs(structs.values(), (s, useMore) => (schemas[s.name] = structSchema(s, useMore)));
  for (const [name, schema] of Object.entries(SCALAR_SCHEMAS)) schemas[name] = schema;
  const sorted = Object.fromEntries(Object.keys(schemas).sort().map((k) => [k, schemas[k]]));
  return {
    openapi: OPENAPI_VERSION,
    info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths,
    components: {
      schemas: sorted,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
}

/** Calls `visit` once for every struct reachable from `roots` (visit reports the structs a struct refers to through its `use`). */
function walkStructs(roots: Iterable<StructNode>, visit: (s: StructNode, use: (x: StructNode) => void) => void): void {
  const seen = new Set<string>();
  const pending: StructNode[] = [];
  const use = (x: StructNode) => {
    if (seen.has(x.name)) return;
    seen.add(x.name);
    pending.push(x);
  };
  for (const r of roots) use(r);
  while (pending.length) visit(pending.pop()!, use);
}

/**
 * Every struct the documents of these types use, sorted by name: the kinds, their List kinds,
 * subresource bodies (Scale, Binding), Status, DeleteOptions and every struct they reach.
 */
export function servedStructs(types: readonly ResourceType[]): StructNode[] {
  const roots = new Map<string, StructNode>();
  const use = (s: StructNode) => void roots.set(s.name, s);
  for (const t of types) resourcePaths(t, use);
  use(META_SCHEMAS.Status);
  use(META_SCHEMAS.DeleteOptions);
  const out: StructNode[] = [];
  walkStructs(roots.values(), (s, useMore) => {
    out.push(s);
    structSchema(s, useMore);
  });
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The distinct group-versions of these types, core first. */
export function groupVersions(types: readonly ResourceType[]): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const t of types) seen.set(apiVersionOf(t), { group: t.group, version: t.version });
  return [...seen.values()].sort((a, b) => (a.group === '' ? -1 : b.group === '' ? 1 : a.group.localeCompare(b.group)));
}
